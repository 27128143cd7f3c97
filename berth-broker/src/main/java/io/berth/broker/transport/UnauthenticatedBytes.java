package io.berth.broker.transport;

import io.berth.broker.auth.Security;
import io.berth.broker.protocol.ConnectionEvent;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Caps the bytes that connections may have sent before their CONNECT is decoded, in all: what the
 * decoder may be holding for connections nobody has authenticated. Each connection counts the MQTT
 * bytes it received until its CONNECT arrives (at most {@code max-connect-size}, the decoder's limit
 * then) and gives them back at that moment or when it closes; a read that completes the CONNECT is
 * never counted, so a client that sends its CONNECT at once is never refused by the cap. The connection
 * that would take the total beyond {@code max-unauthenticated-bytes} is closed. Memory under a flood of slow or half-sent
 * CONNECTs thus stays under a fixed bound, whatever the flood's length.
 *
 * <p>Threading: the total is an atomic shared by every connection of the server; each {@link Handler}
 * lives on its channel's event loop.
 */
final class UnauthenticatedBytes {
    private static final Logger LOG = LoggerFactory.getLogger(UnauthenticatedBytes.class);

    private final long max;
    private final Security security;
    private final AtomicLong total = new AtomicLong();

    UnauthenticatedBytes(long max, Security security) {
        this.max = max;
        this.security = security;
    }

    long total() {
        return total.get();
    }

    ChannelInboundHandlerAdapter newHandler() {
        return new Handler();
    }

    /** Threading: one per channel, on its event loop. */
    private final class Handler extends ChannelInboundHandlerAdapter {
        private long counted;
        private boolean done;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (done || max == 0 || !(msg instanceof ByteBuf buf)) {
                ctx.fireChannelRead(msg);
                return;
            }
            int n = buf.readableBytes();
            ctx.fireChannelRead(msg);
            // a CONNECT that arrived whole was decoded in that call: only what is still held counts
            if (!done) {
                counted += n;
                if (total.addAndGet(n) > max) {
                    security.limitHit("max-unauthenticated-bytes");
                    LOG.debug(
                            "connection from {} closed: max-unauthenticated-bytes",
                            ctx.channel().remoteAddress());
                    giveBack();
                    ctx.close();
                }
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt == ConnectionEvent.CONNECT_RECEIVED) {
                giveBack();
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            giveBack();
            ctx.fireChannelInactive();
        }

        private void giveBack() {
            if (!done) {
                done = true;
                total.addAndGet(-counted);
                counted = 0;
            }
        }
    }
}
