package io.berth.broker.transport;

import io.berth.broker.auth.Security;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.ReferenceCountUtil;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks the {@code Origin} of a WebSocket upgrade, against cross-site WebSocket hijacking: a web page
 * the user visits may open a WebSocket to any address the browser reaches, and the browser names the
 * page's origin in the request. With {@code allowed-origins} configured only those origins ({@code *}:
 * any) are accepted; without it, a request with an {@code Origin} is refused where anonymous clients are
 * allowed (any page could otherwise use the broker), and accepted where clients must log in. Requests
 * without {@code Origin} (non-browser clients) always pass. A refusal is answered 403 and closed.
 *
 * <p>Threading: one instance per channel, on its event loop; removes itself after the first request.
 */
final class OriginCheck extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(OriginCheck.class);

    private final @Nullable List<String> allowed;
    private final boolean anonymous;
    private final Security security;

    OriginCheck(@Nullable List<String> allowed, boolean anonymous, Security security) {
        this.allowed = allowed;
        this.anonymous = anonymous;
        this.security = security;
    }

    /** True when a request with this {@code Origin} header (null: none) may upgrade. */
    static boolean allows(@Nullable String origin, @Nullable List<String> allowed, boolean anonymous) {
        if (origin == null) {
            return true;
        }
        if (allowed == null) {
            return !anonymous;
        }
        String o = origin.toLowerCase(Locale.ROOT);
        return allowed.stream()
                .anyMatch(a -> a.equals("*") || a.toLowerCase(Locale.ROOT).equals(o));
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof FullHttpRequest request) {
            String origin = request.headers().get(HttpHeaderNames.ORIGIN);
            if (!allows(origin, allowed, anonymous)) {
                security.limitHit("websocket-origin");
                LOG.debug(
                        "WebSocket upgrade from {} refused: origin not allowed",
                        ctx.channel().remoteAddress());
                DefaultFullHttpResponse forbidden =
                        new DefaultFullHttpResponse(request.protocolVersion(), HttpResponseStatus.FORBIDDEN);
                forbidden.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0);
                ReferenceCountUtil.release(msg);
                ctx.writeAndFlush(forbidden).addListener(ChannelFutureListener.CLOSE);
                return;
            }
            ctx.pipeline().remove(this);
        }
        ctx.fireChannelRead(msg);
    }
}
