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
import java.util.Objects;
import javax.net.ssl.SSLException;

/**
 * The TLS context of one listener, from PEM files: certificate chain, PKCS#8 private key and, for client
 * certificates, the CA certificates they must chain to. TLS 1.2 and 1.3 only; TLS 1.2 with forward
 * secrecy and AEAD suites only (ECDHE with AES-GCM or ChaCha20-Poly1305, Mozilla's "intermediate"),
 * unless the listener names its {@code ciphers}; a client may not renegotiate. When the files change the
 * context is rebuilt; connections made afterwards use the new one, open ones keep theirs.
 *
 * <p>Threading: {@link #newHandler} on event loops, the reload on the {@link FileReloader} thread; the
 * context is a volatile immutable reference.
 */
final class TlsContext {
    static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    /** TLS 1.3 suites (the JDK's), then TLS 1.2 ECDHE with AEAD ciphers, in order of preference. */
    static final List<String> DEFAULT_CIPHERS = List.of(
            "TLS_AES_256_GCM_SHA384",
            "TLS_AES_128_GCM_SHA256",
            "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

    private static final List<String> TLS13_CIPHERS = DEFAULT_CIPHERS.subList(0, 3);

    static {
        // a client-initiated TLS 1.2 renegotiation would let one connection force private-key operations
        // at will; the JDK reads this property when its TLS classes are first used
        System.setProperty("jdk.tls.rejectClientInitiatedRenegotiation", "true");
    }

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
                        Objects.requireNonNull(l.certFile(), "cert").toFile(),
                        Objects.requireNonNull(l.keyFile(), "key").toFile())
                .sslProvider(SslProvider.JDK)
                .protocols(PROTOCOLS)
                .ciphers(ciphers(l));
        if (l.clientCaFile() != null) {
            b.trustManager(l.clientCaFile().toFile())
                    .clientAuth(l.requireClientCertificate() ? ClientAuth.REQUIRE : ClientAuth.OPTIONAL);
        }
        return b.build();
    }

    /** The listener's suites (TLS 1.3's always added) or the defaults. */
    static List<String> ciphers(ListenerConfig l) {
        if (l.ciphers() == null) {
            return DEFAULT_CIPHERS;
        }
        List<String> out = new ArrayList<>(TLS13_CIPHERS);
        l.ciphers().stream().filter(c -> !out.contains(c)).forEach(out::add);
        return out;
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
