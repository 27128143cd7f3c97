package io.berth.broker.transport;

import io.berth.broker.auth.FileReloader;
import io.berth.broker.config.ListenerConfig;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLException;

/**
 * The TLS context of one listener, from PEM files: certificate chain, PKCS#8 private key and, for client
 * certificates, the CA certificates they must chain to. TLS 1.2 and 1.3 only. When the files change the
 * context is rebuilt; connections made afterwards use the new one, open ones keep theirs.
 *
 * <p>Threading: {@link #newHandler} on event loops, the reload on the {@link FileReloader} thread; the
 * context is a volatile immutable reference.
 */
final class TlsContext {
    static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private final ListenerConfig listener;
    private volatile SslContext context;

    TlsContext(ListenerConfig listener, FileReloader reloader) {
        this.listener = listener;
        try {
            this.context = build(listener);
        } catch (SSLException | IllegalArgumentException e) {
            throw new IllegalStateException(
                    "listener " + listener.describe(listener.port())
                            + ": cannot use the certificate " + listener.certFile() + " and key " + listener.keyFile()
                            + ": " + e.getMessage(),
                    e);
        }
        List<Path> files = new ArrayList<>(List.of(listener.certFile(), listener.keyFile()));
        if (listener.clientCaFile() != null) {
            files.add(listener.clientCaFile());
        }
        reloader.watch(
                "TLS certificate of " + listener.describe(listener.port()), files, () -> context = build(listener));
    }

    private static SslContext build(ListenerConfig l) throws SSLException {
        SslContextBuilder b = SslContextBuilder.forServer(
                        l.certFile().toFile(), l.keyFile().toFile())
                .sslProvider(SslProvider.JDK)
                .protocols(PROTOCOLS);
        if (l.clientCaFile() != null) {
            b.trustManager(l.clientCaFile().toFile())
                    .clientAuth(l.requireClientCertificate() ? ClientAuth.REQUIRE : ClientAuth.OPTIONAL);
        }
        return b.build();
    }

    SslHandler newHandler(ByteBufAllocator alloc) {
        SslHandler h = context.newHandler(alloc);
        h.setHandshakeTimeoutMillis(10_000);
        return h;
    }

    ListenerConfig listener() {
        return listener;
    }
}
