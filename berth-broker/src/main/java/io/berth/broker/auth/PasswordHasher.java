package io.berth.broker.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Salted, slow password hashes with the JDK's own PBKDF2-HMAC-SHA512 (no hand-written crypto). A hash is
 * stored as {@code $pbkdf2-sha512$<iterations>$<salt base64>$<hash base64>}, so that the iteration
 * count can be raised later without invalidating existing entries.
 *
 * <p>Threading: stateless; {@link #verify} takes around a tenth of a second on purpose and must not run
 * on a Netty event loop.
 */
public final class PasswordHasher {
    /** OWASP's recommendation for PBKDF2-HMAC-SHA512 (2023). */
    public static final int DEFAULT_ITERATIONS = 210_000;

    private static final String ALGORITHM = "PBKDF2WithHmacSHA512";
    private static final String PREFIX = "$pbkdf2-sha512$";
    private static final int SALT_BYTES = 16;
    private static final int HASH_BITS = 512;
    private static final SecureRandom RANDOM = new SecureRandom();

    private PasswordHasher() {}

    public static String hash(char[] password) {
        return hash(password, DEFAULT_ITERATIONS);
    }

    public static String hash(char[] password, int iterations) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        byte[] h = derive(password, salt, iterations);
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        return PREFIX + iterations + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(h);
    }

    /** True when {@code password} matches {@code stored}; false for a malformed entry. */
    public static boolean verify(byte[] password, String stored) {
        String[] parts = stored.split("\\$");
        // "", "pbkdf2-sha512", iterations, salt, hash
        if (parts.length != 5 || !stored.startsWith(PREFIX)) {
            return false;
        }
        try {
            int iterations = Integer.parseInt(parts[2]);
            byte[] salt = Base64.getDecoder().decode(parts[3]);
            byte[] expected = Base64.getDecoder().decode(parts[4]);
            if (iterations < 1) {
                return false;
            }
            char[] chars = new String(password, StandardCharsets.UTF_8).toCharArray();
            byte[] actual = derive(chars, salt, iterations);
            java.util.Arrays.fill(chars, '\0');
            return MessageDigest.isEqual(expected, actual);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Checks the format of a stored hash without verifying anything. */
    public static boolean wellFormed(String stored) {
        String[] parts = stored.split("\\$");
        return parts.length == 5 && stored.startsWith(PREFIX) && parts[2].matches("[1-9][0-9]{0,9}");
    }

    private static byte[] derive(char[] password, byte[] salt, int iterations) {
        PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, HASH_BITS);
        try {
            return SecretKeyFactory.getInstance(ALGORITHM).generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(ALGORITHM + " is not available in this JDK", e);
        } finally {
            spec.clearPassword();
        }
    }
}
