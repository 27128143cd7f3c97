package io.berth.client;

import java.io.IOException;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificates made when a test runs (no private key is committed): a CA, server certificates for
 * 127.0.0.1 and localhost, and client certificates, written as PEM files (keys in PKCS#8).
 */
final class TestCertificates {
    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    /** A certificate with its key. */
    record Issued(X509Certificate certificate, PrivateKey key, Path certFile, Path keyFile) {
        /** A key manager presenting this certificate (for a client). */
        KeyManagerFactory keyManager() throws Exception {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("key", key, "pw".toCharArray(), new X509Certificate[] {certificate});
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, "pw".toCharArray());
            return kmf;
        }

        /** A trust manager trusting this certificate (as a CA, for a client). */
        TrustManagerFactory trustManager() throws Exception {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setCertificateEntry("ca", certificate);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            return tmf;
        }
    }

    private TestCertificates() {}

    static Issued ca(Path dir, String name) throws Exception {
        KeyPair kp = keyPair();
        X500Name subject = new X500Name("CN=" + name);
        X509v3CertificateBuilder b = builder(subject, subject, kp);
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        return write(dir, name, sign(b, kp.getPrivate()), kp.getPrivate());
    }

    static Issued server(Path dir, String name, Issued ca) throws Exception {
        KeyPair kp = keyPair();
        X509v3CertificateBuilder b = builder(issuer(ca), new X500Name("CN=localhost"), kp);
        b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
            new GeneralName(GeneralName.iPAddress, "127.0.0.1"), new GeneralName(GeneralName.dNSName, "localhost")
        }));
        return write(dir, name, sign(b, ca.key()), kp.getPrivate());
    }

    /** A server certificate for {@code dnsName} only: wrong for a client connecting to 127.0.0.1. */
    static Issued serverNamed(Path dir, String name, Issued ca, String dnsName) throws Exception {
        KeyPair kp = keyPair();
        X509v3CertificateBuilder b = builder(issuer(ca), new X500Name("CN=" + dnsName), kp);
        b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
            new GeneralName(GeneralName.dNSName, dnsName)
        }));
        return write(dir, name, sign(b, ca.key()), kp.getPrivate());
    }

    static Issued client(Path dir, String commonName, Issued ca) throws Exception {
        KeyPair kp = keyPair();
        X509v3CertificateBuilder b = builder(issuer(ca), new X500Name("O=Berth tests,CN=" + commonName), kp);
        return write(dir, "client-" + commonName + "-" + SERIAL.incrementAndGet(), sign(b, ca.key()), kp.getPrivate());
    }

    private static X500Name issuer(Issued ca) {
        return X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded());
    }

    private static KeyPair keyPair() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(256);
        return g.generateKeyPair();
    }

    private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair kp) {
        Instant now = Instant.now();
        return new JcaX509v3CertificateBuilder(
                issuer,
                BigInteger.valueOf(SERIAL.incrementAndGet()),
                Date.from(now.minus(Duration.ofHours(1))),
                Date.from(now.plus(Duration.ofDays(2))),
                subject,
                kp.getPublic());
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey key) throws Exception {
        ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA").build(key);
        return new JcaX509CertificateConverter().getCertificate(b.build(signer));
    }

    private static Issued write(Path dir, String name, X509Certificate cert, PrivateKey key) throws IOException {
        Path certFile = dir.resolve(name + ".crt");
        Path keyFile = dir.resolve(name + ".key");
        writePem(certFile, cert);
        writePem(keyFile, new JcaPKCS8Generator(key, null));
        return new Issued(cert, key, certFile, keyFile);
    }

    /** Writes through a temporary file and a rename, as certificate renewers do. */
    static void writePem(Path file, Object o) throws IOException {
        Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".pem", ".tmp");
        try (Writer w = Files.newBufferedWriter(tmp);
                JcaPEMWriter pem = new JcaPEMWriter(w)) {
            pem.writeObject(o);
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
}
