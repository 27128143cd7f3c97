package io.berth.broker.transport;

import io.berth.broker.auth.AddressLimits;
import io.berth.broker.auth.Security;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first handler of every connection: counts it against the limits of its source address (open
 * connections, connections per second) and closes it at once when one refuses it, before any TLS or
 * MQTT work is spent on it.
 *
 * <p>Threading: one instance per channel, on its event loop.
 */
final class AddressLimitHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(AddressLimitHandler.class);

    private final Security security;
    private InetAddress counted;

    AddressLimitHandler(Security security) {
        this.security = security;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        SocketAddress remote = ctx.channel().remoteAddress();
        if (!(remote instanceof InetSocketAddress inet) || inet.getAddress() == null) {
            ctx.fireChannelActive();
            return;
        }
        AddressLimits.Verdict verdict = security.addressLimits().opened(inet.getAddress());
        if (verdict != AddressLimits.Verdict.ACCEPTED) {
            String limit = verdict == AddressLimits.Verdict.TOO_FAST
                    ? "connect-rate-per-address"
                    : "max-connections-per-address";
            security.limitHit(limit);
            LOG.debug("connection from {} refused: {}", remote, limit.toLowerCase(Locale.ROOT));
            ctx.close();
            return;
        }
        counted = inet.getAddress();
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (counted != null) {
            security.addressLimits().closed(counted);
            counted = null;
        }
        ctx.fireChannelInactive();
    }
}
