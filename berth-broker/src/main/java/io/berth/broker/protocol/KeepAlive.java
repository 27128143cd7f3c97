package io.berth.broker.protocol;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;

/**
 * The idle timer of a connection: first the time allowed until CONNECT, none while the login is checked,
 * then 1.5 times the keep alive.
 *
 * <p>Threading: called on the channel's event loop.
 */
final class KeepAlive {
    static final String NAME = "keepAlive";
    /**
     * How long a login may take once CONNECT has arrived, waiting for its turn included (a flood of
     * other logins, the address's back-off); generous on purpose, since a login that waits is cheap.
     */
    static final int LOGIN_TIMEOUT_SECONDS = 60;

    private KeepAlive() {}

    /** The handler that closes a connection that sends no CONNECT within {@code seconds}. */
    static IdleStateHandler connectTimeout(int seconds) {
        return new IdleStateHandler(seconds, 0, 0, TimeUnit.SECONDS);
    }

    /** Stops the idle timer while the login is checked (the login has its own limit). */
    static void suspend(ChannelPipeline pipeline) {
        pipeline.replace(NAME, NAME, new IdleStateHandler(0, 0, 0));
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
