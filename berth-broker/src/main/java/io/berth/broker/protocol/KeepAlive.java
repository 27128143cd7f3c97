package io.berth.broker.protocol;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;

/**
 * The idle timer of a connection: first the time allowed until CONNECT, then 1.5 times the keep alive.
 *
 * <p>Threading: called on the channel's event loop.
 */
final class KeepAlive {
    static final String NAME = "keepAlive";

    private KeepAlive() {}

    /** The handler that closes a connection that sends no CONNECT within {@code seconds}. */
    static IdleStateHandler connectTimeout(int seconds) {
        return new IdleStateHandler(seconds, 0, 0, TimeUnit.SECONDS);
    }

    /** [MQTT-3.1.2-24] replaces the connect timeout by 1.5 times the keep alive; 0 means none. */
    static void install(ChannelPipeline pipeline, int keepAliveSeconds) {
        if (keepAliveSeconds == 0) {
            pipeline.remove(NAME);
            return;
        }
        long millis = keepAliveSeconds * 1500L;
        pipeline.replace(NAME, NAME, new IdleStateHandler(millis, 0, 0, TimeUnit.MILLISECONDS));
    }
}
