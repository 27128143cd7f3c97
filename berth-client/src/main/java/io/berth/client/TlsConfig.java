package io.berth.client;

import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How the client secures its connection with TLS (1.2 or 1.3): which certificates it trusts, which
 * certificate it presents (if any), and whether it checks that the broker's certificate names the host it
 * connects to. Give it to {@link MqttClientBuilder#tls(TlsConfig)}.
 *
 * <pre>{@code
 * TlsConfig tls = TlsConfig.builder()
 *     .trustPem(Path.of("ca.crt"))                                   // default: the JDK's trusted CAs
 *     .clientCertificatePem(Path.of("device.crt"), Path.of("device.key")) // PKCS#8 key
 *     .build();                                                      // host name verification on
 * }</pre>
 *
 * @param trustPem PEM file of the CA certificates to trust, or null
 * @param trustStore key store of the certificates to trust, or null; with neither, the JDK's default
 *     trusted CAs
 * @param certificatePem PEM file of the client certificate chain, or null
 * @param keyPem PEM file of the client's PKCS#8 private key (with {@code certificatePem}), or null
 * @param keyStore key store with the client's key and certificate, or null
 * @param keyStorePassword the password of the key in {@code keyStore}
 * @param hostnameVerification whether the broker's certificate must name the host connected to (RFC 2818)
 * @param protocols the TLS protocol versions offered
 */
public record TlsConfig(
        @Nullable Path trustPem,
        @Nullable KeyStore trustStore,
        @Nullable Path certificatePem,
        @Nullable Path keyPem,
        @Nullable KeyStore keyStore,
        char @Nullable [] keyStorePassword,
        boolean hostnameVerification,
        List<String> protocols) {

    /** TLS with the JDK's trusted CAs, no client certificate, host name verification on. */
    public static final TlsConfig DEFAULT = builder().build();

    public TlsConfig {
        protocols = List.copyOf(protocols);
        if (trustPem != null && trustStore != null) {
            throw new IllegalArgumentException("trust either a PEM file or a key store, not both");
        }
        if ((certificatePem == null) != (keyPem == null)) {
            throw new IllegalArgumentException("a client certificate needs both its certificate and key files");
        }
        if (certificatePem != null && keyStore != null) {
            throw new IllegalArgumentException("present either PEM files or a key store, not both");
        }
        if (protocols.isEmpty()) {
            throw new IllegalArgumentException("at least one TLS protocol");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String toString() {
        return "TlsConfig[trustPem=" + trustPem + ", trustStore=" + (trustStore != null) + ", certificatePem="
                + certificatePem + ", keyStore=" + (keyStore != null) + ", hostnameVerification="
                + hostnameVerification + ", protocols=" + protocols + "]";
    }

    /**
     * Builds a {@link TlsConfig}.
     *
     * <p>Threading: used by one thread at a time.
     */
    public static final class Builder {
        private @Nullable Path trustPem;
        private @Nullable KeyStore trustStore;
        private @Nullable Path certificatePem;
        private @Nullable Path keyPem;
        private @Nullable KeyStore keyStore;
        private char @Nullable [] keyStorePassword;
        private boolean hostnameVerification = true;
        private List<String> protocols = List.of("TLSv1.3", "TLSv1.2");

        private Builder() {}

        /** Trust the CA certificates in this PEM file instead of the JDK's. */
        public Builder trustPem(Path caCertificates) {
            this.trustPem = Objects.requireNonNull(caCertificates, "caCertificates");
            return this;
        }

        /** Trust the certificates in this key store instead of the JDK's. */
        public Builder trustStore(KeyStore trustStore) {
            this.trustStore = Objects.requireNonNull(trustStore, "trustStore");
            return this;
        }

        /** Present this client certificate (PEM chain) with its private key (PEM, PKCS#8, unencrypted). */
        public Builder clientCertificatePem(Path certificateChain, Path privateKey) {
            this.certificatePem = Objects.requireNonNull(certificateChain, "certificateChain");
            this.keyPem = Objects.requireNonNull(privateKey, "privateKey");
            return this;
        }

        /** Present the key and certificate in this key store. */
        public Builder clientKeyStore(KeyStore keyStore, char @Nullable [] keyPassword) {
            this.keyStore = Objects.requireNonNull(keyStore, "keyStore");
            this.keyStorePassword = keyPassword == null ? null : Arrays.copyOf(keyPassword, keyPassword.length);
            return this;
        }

        /**
         * Whether the broker's certificate must name the host connected to; default true. Turn it off only
         * for tests: without it, any certificate from a trusted CA passes for any broker.
         */
        public Builder hostnameVerification(boolean verify) {
            this.hostnameVerification = verify;
            return this;
        }

        /** The TLS protocol versions offered; default TLSv1.3 and TLSv1.2. */
        public Builder protocols(String... protocols) {
            this.protocols = List.of(protocols);
            return this;
        }

        public TlsConfig build() {
            return new TlsConfig(
                    trustPem,
                    trustStore,
                    certificatePem,
                    keyPem,
                    keyStore,
                    keyStorePassword,
                    hostnameVerification,
                    protocols);
        }
    }
}
