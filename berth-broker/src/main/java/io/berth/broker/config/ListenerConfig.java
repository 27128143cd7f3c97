package io.berth.broker.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One listener: where it binds and how MQTT travels over it.
 *
 * @param transport plain TCP, TLS, WebSocket or WebSocket over TLS
 * @param bind address to listen on
 * @param port TCP port, 0 for any free port
 * @param certFile PEM certificate chain of the server (TLS and WSS only)
 * @param keyFile PEM private key (PKCS#8) of the server (TLS and WSS only)
 * @param clientCaFile PEM certificates that client certificates must chain to; null for none
 * @param requireClientCertificate refuse the TLS handshake of a client without a valid certificate
 * @param certificateAsUsername the subject CN of the client certificate is the username
 * @param path the HTTP path of the WebSocket endpoint (WS and WSS only)
 * @param ciphers the TLS 1.2 cipher suites offered (JDK names), in order of preference; null for the
 *     default: ECDHE with AES-GCM or ChaCha20-Poly1305 only (forward secrecy, no CBC); TLS 1.3 suites are
 *     always the JDK's
 * @param allowedOrigins the browser origins ({@code https://app.example.com}) whose pages may open the
 *     WebSocket ({@code *}: any); null for the default: any origin, except where anonymous clients are
 *     allowed, where requests carrying an {@code Origin} header (browsers) are refused (WS and WSS only)
 */
public record ListenerConfig(
        Transport transport,
        String bind,
        int port,
        @Nullable Path certFile,
        @Nullable Path keyFile,
        @Nullable Path clientCaFile,
        boolean requireClientCertificate,
        boolean certificateAsUsername,
        String path,
        @Nullable List<String> ciphers,
        @Nullable List<String> allowedOrigins) {

    /** The transports a listener offers. */
    public enum Transport {
        TCP,
        TLS,
        WS,
        WSS;

        public boolean secure() {
            return this == TLS || this == WSS;
        }

        public boolean webSocket() {
            return this == WS || this == WSS;
        }

        /** Parses the name used in the config file: tcp, tls, ws or wss. */
        public static Transport parse(String s) {
            return switch (s.toLowerCase(java.util.Locale.ROOT)) {
                case "tcp", "mqtt" -> TCP;
                case "tls", "mqtts" -> TLS;
                case "ws", "websocket" -> WS;
                case "wss" -> WSS;
                default -> throw new IllegalArgumentException("expected tcp, tls, ws or wss, found '" + s + "'");
            };
        }
    }

    public ListenerConfig {
        Objects.requireNonNull(transport, "type");
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(path, "path");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port: must be 0..65535, is " + port);
        }
        if (transport.secure() && (certFile == null || keyFile == null)) {
            throw new IllegalArgumentException(transport.name().toLowerCase(java.util.Locale.ROOT)
                    + " listener on port " + port + " needs cert and key");
        }
        if (!transport.secure() && (certFile != null || clientCaFile != null)) {
            throw new IllegalArgumentException("cert, key and client-ca need a tls or wss listener");
        }
        if ((requireClientCertificate || certificateAsUsername) && clientCaFile == null) {
            throw new IllegalArgumentException("client certificates need client-ca");
        }
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("path: must start with '/', is '" + path + "'");
        }
        if (ciphers != null) {
            ciphers = List.copyOf(ciphers);
            if (!transport.secure() || ciphers.isEmpty()) {
                throw new IllegalArgumentException("ciphers: needs a tls or wss listener and at least one suite");
            }
        }
        if (allowedOrigins != null) {
            allowedOrigins = List.copyOf(allowedOrigins);
            if (!transport.webSocket()) {
                throw new IllegalArgumentException("allowed-origins: needs a ws or wss listener");
            }
        }
    }

    /** A listener with the default cipher suites and origin rule. */
    public ListenerConfig(
            Transport transport,
            String bind,
            int port,
            @Nullable Path certFile,
            @Nullable Path keyFile,
            @Nullable Path clientCaFile,
            boolean requireClientCertificate,
            boolean certificateAsUsername,
            String path) {
        this(
                transport,
                bind,
                port,
                certFile,
                keyFile,
                clientCaFile,
                requireClientCertificate,
                certificateAsUsername,
                path,
                null,
                null);
    }

    /** A plain TCP listener. */
    public static ListenerConfig tcp(String bind, int port) {
        return new ListenerConfig(Transport.TCP, bind, port, null, null, null, false, false, "/mqtt");
    }

    /** A TLS listener without client certificates. */
    public static ListenerConfig tls(String bind, int port, Path cert, Path key) {
        return new ListenerConfig(Transport.TLS, bind, port, cert, key, null, false, false, "/mqtt");
    }

    /** A WebSocket listener on {@code path}. */
    public static ListenerConfig ws(String bind, int port, String path) {
        return new ListenerConfig(Transport.WS, bind, port, null, null, null, false, false, path);
    }

    /** A copy on another port. */
    public ListenerConfig withPort(int p) {
        return new ListenerConfig(
                transport,
                bind,
                p,
                certFile,
                keyFile,
                clientCaFile,
                requireClientCertificate,
                certificateAsUsername,
                path,
                ciphers,
                allowedOrigins);
    }

    /** A copy with these browser origins allowed (WS and WSS only). */
    public ListenerConfig withAllowedOrigins(List<String> origins) {
        return new ListenerConfig(
                transport,
                bind,
                port,
                certFile,
                keyFile,
                clientCaFile,
                requireClientCertificate,
                certificateAsUsername,
                path,
                ciphers,
                origins);
    }

    /** True when every client of this listener is identified by its certificate. */
    public boolean identifiesByCertificate() {
        return requireClientCertificate && certificateAsUsername;
    }

    /** True when {@link #bind} is a loopback address (127.0.0.0/8, ::1, localhost). */
    public boolean loopback() {
        try {
            return InetAddress.getByName(bind).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** For the startup line: {@code tls 0.0.0.0:8883}. */
    public String describe(int boundPort) {
        String t = transport.name().toLowerCase(java.util.Locale.ROOT);
        return t + " " + bind + ":" + boundPort + (transport.webSocket() ? path : "");
    }
}
