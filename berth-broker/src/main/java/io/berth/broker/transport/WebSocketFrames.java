package io.berth.broker.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageDecoder;
import io.netty.handler.codec.MessageToMessageEncoder;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.util.List;

/**
 * MQTT over WebSocket (MQTT 5.0 section 6): the bytes of binary frames go to the MQTT decoder, in order
 * and regardless of how packets are split over frames; what the MQTT encoder writes goes out as binary
 * frames. A text frame closes the connection [MQTT-6.0.0-1]; a plain HTTP request that is not the
 * WebSocket upgrade on the configured path is answered 404.
 *
 * <p>Threading: stateless handlers, on the channel's event loop.
 */
final class WebSocketFrames {
    private WebSocketFrames() {}

    /** Inbound: frames to bytes. */
    static final class Decoder extends MessageToMessageDecoder<Object> {
        @Override
        protected void decode(ChannelHandlerContext ctx, Object msg, List<Object> out) {
            if (msg instanceof BinaryWebSocketFrame || msg instanceof ContinuationWebSocketFrame) {
                out.add(((WebSocketFrame) msg).content().retain());
            } else if (msg instanceof FullHttpRequest) {
                DefaultFullHttpResponse notFound = new DefaultFullHttpResponse(
                        ((FullHttpRequest) msg).protocolVersion(), HttpResponseStatus.NOT_FOUND);
                notFound.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0);
                ctx.writeAndFlush(notFound).addListener(ChannelFutureListener.CLOSE);
            } else {
                // [MQTT-6.0.0-1] a frame that is not binary closes the connection
                ctx.close();
            }
        }
    }

    /** Outbound: bytes to one binary frame. */
    static final class Encoder extends MessageToMessageEncoder<ByteBuf> {
        @Override
        protected void encode(ChannelHandlerContext ctx, ByteBuf msg, List<Object> out) {
            out.add(new BinaryWebSocketFrame(msg.retain()));
        }
    }
}
