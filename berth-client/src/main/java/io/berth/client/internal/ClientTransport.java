package io.berth.client.internal;

import io.berth.client.TlsConfig;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.MessageToMessageCodec;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;
import org.jspecify.annotations.Nullable;

/**
 * What lies under MQTT on a client channel: plain TCP, TLS (an SSL handler from the {@link TlsConfig}),
 * WebSocket (Netty's HTTP client codec and WebSocket handshake, subprotocol {@code mqtt}, MQTT bytes in
 * binary frames), or both. The SSL context is built once, when the client is built, so that a wrong file
 * fails fast.
 *
 * <p>Threading: immutable after construction; {@link #addTo} runs on the channel's event loop.
 */
final class ClientTransport {
    private static final String SUBPROTOCOL = "mqtt";

    private final ClientConfig config;
    private final @Nullable SslContext ssl;

    ClientTransport(ClientConfig config) {
        this.config = config;
        this.ssl = config.tls() == null ? null : sslContext(config.tls());
    }

    boolean isWebSocket() {
        return config.webSocketPath() != null;
    }

    /** Adds the handlers below the MQTT codec to a new channel's pipeline. */
    void addTo(Channel ch) {
        ChannelPipeline p = ch.pipeline();
        if (ssl != null) {
            // host and port name the peer: SNI, and the name the certificate is checked against
            p.addLast("tls", ssl.newHandler(ch.alloc(), config.host(), config.port()));
        }
        if (isWebSocket()) {
            URI uri = URI.create((ssl != null ? "wss" : "ws") + "://" + config.host() + ":" + config.port()
                    + config.webSocketPath());
            WebSocketClientProtocolConfig ws = WebSocketClientProtocolConfig.newBuilder()
                    .webSocketUri(uri)
                    .subprotocol(SUBPROTOCOL)
                    .maxFramePayloadLength(config.maxPacketSize())
                    .handshakeTimeoutMillis(config.connectTimeout().toMillis())
                    .build();
            p.addLast(
                    new HttpClientCodec(),
                    new HttpObjectAggregator(64 * 1024),
                    new WebSocketClientProtocolHandler(ws),
                    new WebSocketBytes());
        }
    }

    private static SslContext sslContext(TlsConfig tls) {
        try {
            SslContextBuilder b = SslContextBuilder.forClient()
                    .protocols(tls.protocols())
                    .endpointIdentificationAlgorithm(tls.hostnameVerification() ? "HTTPS" : null);
            if (tls.trustPem() != null) {
                b.trustManager(tls.trustPem().toFile());
            } else if (tls.trustStore() != null) {
                TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(tls.trustStore());
                b.trustManager(tmf);
            }
            if (tls.certificatePem() != null) {
                b.keyManager(
                        tls.certificatePem().toFile(),
                        Objects.requireNonNull(tls.keyPem(), "keyPem").toFile());
            } else if (tls.keyStore() != null) {
                KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(tls.keyStore(), tls.keyStorePassword());
                b.keyManager(kmf);
            }
            return b.build();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot set up TLS from " + tls, e);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot set up TLS from " + tls + ": " + e.getMessage(), e);
        }
    }

    /** MQTT bytes in WebSocket binary frames, both ways; a text frame is not MQTT and closes the channel. */
    private static final class WebSocketBytes extends MessageToMessageCodec<WebSocketFrame, ByteBuf> {
        @Override
        protected void encode(ChannelHandlerContext ctx, ByteBuf msg, List<Object> out) {
            out.add(new BinaryWebSocketFrame(msg.retain()));
        }

        @Override
        protected void decode(ChannelHandlerContext ctx, WebSocketFrame frame, List<Object> out) {
            if (frame instanceof BinaryWebSocketFrame || frame instanceof ContinuationWebSocketFrame) {
                out.add(frame.content().retain());
            } else {
                ctx.close();
            }
        }
    }
}
