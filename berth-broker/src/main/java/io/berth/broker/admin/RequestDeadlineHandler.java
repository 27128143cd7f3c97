package io.berth.broker.admin;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.timeout.IdleStateEvent;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Closes a connection whose request does not arrive whole in time: from its first byte, the headers and
 * the body must be in within {@link #REQUEST_SECONDS}, however slowly they trickle (a read timeout
 * alone is reset by every byte). A connection idle between requests is closed by the
 * {@link io.netty.handler.timeout.IdleStateHandler} before this handler, whose event ends here.
 *
 * <p>Threading: the channel's event loop; plain fields.
 */
final class RequestDeadlineHandler extends ChannelDuplexHandler {
    static final long REQUEST_SECONDS = 10;

    private final long requestMillis;
    private @Nullable ScheduledFuture<?> deadline;
    /** A whole request was read and its answer is not yet written: reads belong to no new request. */
    private boolean answering;

    RequestDeadlineHandler(long requestMillis) {
        this.requestMillis = requestMillis;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (deadline == null && !answering && msg instanceof ByteBuf b && b.isReadable()) {
            deadline = ctx.executor().schedule((Runnable) ctx::close, requestMillis, TimeUnit.MILLISECONDS);
        }
        ctx.fireChannelRead(msg);
    }

    /** The request is whole: its deadline is over. */
    void requestRead() {
        answering = true;
        cancel();
    }

    /** The answer is written: the next byte starts the next request. */
    void answered() {
        answering = false;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            ctx.close();
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancel();
        ctx.fireChannelInactive();
    }

    private void cancel() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }
}
