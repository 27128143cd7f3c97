package io.berth.broker.protocol;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves a channel to another event loop: its session's shard (ADR 9). A connection is accepted on any
 * loop; once its login is accepted and before its session is involved, it is deregistered from its loop
 * and registered on the shard's, once per connection. From then on the handler, the session, its queue
 * and its connection share one thread.
 *
 * <p>The channel does not read while it moves (its login turned auto-read off) and keeps its pipeline,
 * TLS and WebSocket state included; timers that its handlers scheduled before stay on the old loop, which
 * is why the keep-alive timer is installed after the move. {@code then} runs on the new loop when the
 * channel is still open there; a channel that closed meanwhile, or could not move, is closed and {@code
 * otherwise} runs instead.
 *
 * <p>Threading: called on the channel's current loop.
 */
final class ChannelMove {
    private static final Logger LOG = LoggerFactory.getLogger(ChannelMove.class);

    private ChannelMove() {}

    /** Runs {@code then} on {@code target} with {@code channel} registered there (now when it already is). */
    static void to(Channel channel, EventExecutor target, Runnable then, Runnable otherwise) {
        assert channel.eventLoop().inEventLoop() : "moved off its loop";
        if (channel.eventLoop() == target) {
            then.run();
            return;
        }
        if (!(target instanceof EventLoop loop)) {
            throw new IllegalArgumentException("not an event loop: " + target);
        }
        channel.deregister().addListener(deregistered -> {
            if (!deregistered.isSuccess()) {
                failed(channel, deregistered, otherwise);
                return;
            }
            loop.register(channel).addListener(registered -> {
                if (!registered.isSuccess()) {
                    failed(channel, registered, otherwise);
                } else if (channel.isActive()) {
                    then.run();
                } else {
                    channel.close();
                    otherwise.run();
                }
            });
        });
    }

    private static void failed(Channel channel, Future<?> step, Runnable otherwise) {
        LOG.debug("connection from {} could not move to its session's loop: {}", channel.remoteAddress(), step.cause());
        channel.close();
        otherwise.run();
    }
}
