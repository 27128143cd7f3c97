package io.berth.broker.transport;

import io.berth.broker.auth.AddressLimits;
import io.berth.broker.auth.Security;
import io.berth.broker.protocol.ConnectionEvent;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first handler of every connection: counts it against the limits of its source address
 * ({@link AddressLimits}) and closes it at once when they refuse it, before any TLS or MQTT work is
 * spent on it. It follows the connection's {@link ConnectionEvent}s, and counts a connection that
 * closes before logging in, or that misbehaves after, as a failure of its address.
 *
 * <p>Threading: one instance per channel, on its event loop; {@link #evict} may come from any thread and
 * only hands the close to the event loop.
 */
final class AddressLimitHandler extends ChannelInboundHandlerAdapter implements AddressLimits.Connection {
    private static final Logger LOG = LoggerFactory.getLogger(AddressLimitHandler.class);

    private final Security security;
    private @Nullable InetAddress counted;
    private @Nullable ChannelHandlerContext ctx;
    private boolean loggedIn;
    private boolean connectReceived;

    AddressLimitHandler(Security security) {
        this.security = security;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        SocketAddress remote = ctx.channel().remoteAddress();
        if (!(remote instanceof InetSocketAddress inet) || inet.getAddress() == null) {
            ctx.fireChannelActive();
            return;
        }
        if (!security.addressLimits()
                .opened(inet.getAddress(), this, () -> security.limitHit("evicted-before-login"))) {
            security.limitHit("max-connections-per-address");
            LOG.debug("connection from {} refused: max-connections-per-address", remote);
            ctx.close();
            return;
        }
        counted = inet.getAddress();
        if (security.addressLimits().penalized(counted)) {
            // the address has been failing: a new connection of it gets less time to send CONNECT
            ctx.executor()
                    .schedule(
                            () -> {
                                if (!connectReceived && ctx.channel().isActive()) {
                                    security.limitHit("failed-connect-rate-per-address");
                                    ctx.close();
                                }
                            },
                            AddressLimits.PENALIZED_CONNECT_MILLIS,
                            TimeUnit.MILLISECONDS);
        }
        ctx.fireChannelActive();
    }

    @Override
    public void evict() {
        ChannelHandlerContext c = ctx;
        if (c == null) {
            return; // not active yet, so not counted either
        }
        c.executor().execute(() -> {
            LOG.debug(
                    "connection from {} closed to make room: it had not logged in",
                    c.channel().remoteAddress());
            c.close();
        });
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (counted != null && evt instanceof ConnectionEvent e) {
            switch (e) {
                case CONNECT_RECEIVED -> {
                    connectReceived = true;
                    security.addressLimits().connectReceived(counted, this);
                }
                case LOGGED_IN -> {
                    loggedIn = true;
                    security.addressLimits().loggedIn(counted, this);
                }
                case FAILED -> security.addressLimits().failed(counted);
            }
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (counted != null) {
            if (!loggedIn) {
                security.addressLimits().failed(counted);
            }
            security.addressLimits().closed(counted, this);
            counted = null;
        }
        ctx.fireChannelInactive();
    }
}
