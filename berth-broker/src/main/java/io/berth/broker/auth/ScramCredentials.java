package io.berth.broker.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * What the server keeps of a password for SCRAM-SHA-256 (RFC 5802, RFC 7677): salt, iteration count,
 * StoredKey and ServerKey; never the password nor the salted password. Stored as
 * {@code $scram-sha-256$<iterations>$<salt>$<StoredKey>$<ServerKey>} (base64).
 *
 * <p>Threading: immutable.
 */
public record ScramCredentials(byte[] salt, int iterations, byte[] storedKey, byte[] serverKey) {
    /** RFC 7677 asks for at least 4096; the JDK's PBKDF2 makes more affordable for the client. */
    public static final int DEFAULT_ITERATIONS = 100_000;

    private static final String PREFIX = "$scram-sha-256$";
    private static final SecureRandom RANDOM = new SecureRandom();

    public static ScramCredentials derive(char[] password, int iterations) {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        return derive(password, salt, iterations);
    }

    public static ScramCredentials derive(char[] password, byte[] salt, int iterations) {
        byte[] salted = saltedPassword(password, salt, iterations);
        byte[] clientKey = hmac(salted, "Client Key".getBytes(StandardCharsets.US_ASCII));
        return new ScramCredentials(
                salt, iterations, sha256(clientKey), hmac(salted, "Server Key".getBytes(StandardCharsets.US_ASCII)));
    }

    /** Hi(password, salt, i) of RFC 5802: PBKDF2 with HMAC-SHA-256. */
    static byte[] saltedPassword(char[] password, byte[] salt, int iterations) {
        PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, 256);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                    .generateSecret(spec)
                    .getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is not available in this JDK", e);
        } finally {
            spec.clearPassword();
        }
    }

    static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JDK", e);
        }
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is not available in this JDK", e);
        }
    }

    public String format() {
        Base64.Encoder b = Base64.getEncoder();
        return PREFIX + iterations + "$" + b.encodeToString(salt) + "$" + b.encodeToString(storedKey) + "$"
                + b.encodeToString(serverKey);
    }

    /** Parses {@link #format()}; throws IllegalArgumentException when malformed. */
    public static ScramCredentials parse(String s) {
        String[] p = s.split("\\$");
        // "", "scram-sha-256", iterations, salt, StoredKey, ServerKey
        if (p.length != 6 || !s.startsWith(PREFIX)) {
            throw new IllegalArgumentException("expected $scram-sha-256$...");
        }
        Base64.Decoder d = Base64.getDecoder();
        int iterations = Integer.parseInt(p[2]);
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations must be positive");
        }
        return new ScramCredentials(d.decode(p[3]), iterations, d.decode(p[4]), d.decode(p[5]));
    }
}
