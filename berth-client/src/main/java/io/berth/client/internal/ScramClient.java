package io.berth.client.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * The client side of one SCRAM-SHA-256 exchange (RFC 5802, RFC 7677) inside MQTT 5.0 enhanced
 * authentication: CONNECT carries the client-first message ({@link #first()}), the broker's AUTH (0x18)
 * the server-first, the client's AUTH (0x18) the client-final ({@link #last}), and CONNACK the
 * server-final, whose signature {@link #verify} checks: the broker proves that it holds the user's keys.
 * No channel binding ({@code n,,}). {@link #last} runs PBKDF2 and takes tens of milliseconds: run it off
 * the event loop.
 *
 * <p>Threading: one instance per connection attempt; {@link #first} on the event loop, {@link #last} on
 * any one thread after it, {@link #verify} on the event loop after {@link #last} completed.
 */
final class ScramClient {
    static final String METHOD = "SCRAM-SHA-256";
    /** RFC 7677's minimum; fewer iterations from a broker would weaken the stored keys. */
    static final int MIN_ITERATIONS = 4096;
    /** A bound against a broker that asks for hours of PBKDF2. */
    static final int MAX_ITERATIONS = 10_000_000;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final String user;
    private final char[] password;
    private @Nullable String clientFirstBare;
    private @Nullable String nonce;
    private volatile byte @Nullable [] serverSignature;

    ScramClient(String user, char[] password) {
        this.user = user;
        this.password = password;
    }

    /** The client-first message, {@code n,,n=<user>,r=<nonce>}. */
    byte[] first() {
        byte[] random = new byte[24];
        RANDOM.nextBytes(random);
        nonce = Base64.getEncoder().encodeToString(random);
        clientFirstBare = "n=" + user.replace("=", "=3D").replace(",", "=2C") + ",r=" + nonce;
        return ("n,," + clientFirstBare).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The client-final message for the broker's server-first message.
     *
     * @throws IllegalArgumentException when the server-first message is malformed, does not extend the
     *     client's nonce, or asks for an iteration count out of range
     */
    byte[] last(byte @Nullable [] serverFirstBytes) {
        if (serverFirstBytes == null) {
            throw new IllegalArgumentException("AUTH without authentication data");
        }
        String nonce = this.nonce;
        String clientFirstBare = this.clientFirstBare;
        if (nonce == null || clientFirstBare == null) {
            throw new IllegalStateException("server-first message before the client-first");
        }
        String serverFirst = new String(serverFirstBytes, StandardCharsets.UTF_8);
        String combinedNonce = attribute(serverFirst, "r");
        if (!combinedNonce.startsWith(nonce) || combinedNonce.length() == nonce.length()) {
            throw new IllegalArgumentException("server nonce does not extend the client nonce");
        }
        byte[] salt = Base64.getDecoder().decode(attribute(serverFirst, "s"));
        int iterations = Integer.parseInt(attribute(serverFirst, "i"));
        if (iterations < MIN_ITERATIONS || iterations > MAX_ITERATIONS) {
            throw new IllegalArgumentException(
                    "iteration count out of range " + MIN_ITERATIONS + ".." + MAX_ITERATIONS + ": " + iterations);
        }
        String withoutProof = "c=biws,r=" + combinedNonce; // biws = base64("n,,")
        byte[] authMessage =
                (clientFirstBare + "," + serverFirst + "," + withoutProof).getBytes(StandardCharsets.UTF_8);
        byte[] salted = saltedPassword(salt, iterations);
        byte[] clientKey = hmac(salted, "Client Key".getBytes(StandardCharsets.US_ASCII));
        byte[] clientSignature = hmac(sha256(clientKey), authMessage);
        byte[] proof = new byte[clientKey.length];
        for (int i = 0; i < proof.length; i++) {
            proof[i] = (byte) (clientKey[i] ^ clientSignature[i]);
        }
        serverSignature = hmac(hmac(salted, "Server Key".getBytes(StandardCharsets.US_ASCII)), authMessage);
        return (withoutProof + ",p=" + Base64.getEncoder().encodeToString(proof)).getBytes(StandardCharsets.UTF_8);
    }

    /** True when the server-final message carries the signature only a holder of the keys can make. */
    boolean verify(byte @Nullable [] serverFinal) {
        byte[] expected = serverSignature;
        if (serverFinal == null || expected == null) {
            return false;
        }
        byte[] want = ("v=" + Base64.getEncoder().encodeToString(expected)).getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(want, serverFinal);
    }

    private static String attribute(String message, String name) {
        for (String a : message.split(",")) {
            if (a.startsWith(name + "=")) {
                return a.substring(name.length() + 1);
            }
        }
        throw new IllegalArgumentException("no '" + name + "' in the server-first message");
    }

    private byte[] saltedPassword(byte[] salt, int iterations) {
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

    private static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JDK", e);
        }
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is not available in this JDK", e);
        }
    }
}
