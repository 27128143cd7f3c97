package io.berth.broker.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.function.Function;

/**
 * The server side of one SCRAM-SHA-256 exchange (RFC 5802, RFC 7677) inside MQTT 5.0 enhanced
 * authentication: CONNECT carries the client-first message, AUTH (0x18) the server-first, AUTH (0x18)
 * the client-final, and CONNACK the server-final. Channel binding is not offered. An unknown user goes
 * through the same steps with made-up keys and fails at the end, so that users cannot be enumerated.
 * Only HMACs and hashes run here (the slow PBKDF2 was done when the password was set), so an exchange is
 * cheap enough for the event loop.
 *
 * <p>Threading: one instance per connection, on its event loop.
 */
public final class ScramServer {
    public static final String METHOD = "SCRAM-SHA-256";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Function<String, ScramCredentials> lookup;
    private final byte[] mockSecret;
    private String user;
    private String gs2Header;
    private String clientFirstBare;
    private String serverFirst;
    private String nonce;
    private ScramCredentials keys;
    private boolean known;

    /**
     * @param lookup the stored keys of a user, or null for an unknown one
     * @param mockSecret the key of the made-up salts of unknown users (secret, random per broker)
     */
    ScramServer(Function<String, ScramCredentials> lookup, byte[] mockSecret) {
        this.lookup = lookup;
        this.mockSecret = mockSecret;
    }

    /** The salt shown for a user that has no SCRAM keys: stable for a name, unpredictable without the secret. */
    static byte[] mockSalt(byte[] secret, String user) {
        byte[] mac = ScramCredentials.hmac(secret, user.getBytes(StandardCharsets.UTF_8));
        return java.util.Arrays.copyOf(mac, 16);
    }

    /** Reads the client-first message; returns the server-first message, or null when it is malformed. */
    public byte[] first(byte[] clientFirst) {
        if (clientFirst == null || gs2Header != null) {
            return null;
        }
        String m = new String(clientFirst, StandardCharsets.UTF_8);
        // gs2-header: "n,," or "y,," (no channel binding), optionally with an authzid we do not support
        if (!(m.startsWith("n,,") || m.startsWith("y,,"))) {
            return null;
        }
        gs2Header = m.substring(0, 3);
        clientFirstBare = m.substring(3);
        String[] attrs = clientFirstBare.split(",");
        if (attrs.length < 2 || !attrs[0].startsWith("n=") || !attrs[1].startsWith("r=") || attrs[1].length() < 3) {
            return null;
        }
        user = attrs[0].substring(2).replace("=2C", ",").replace("=3D", "=");
        keys = lookup.apply(user);
        known = keys != null;
        if (!known) {
            keys = new ScramCredentials(
                    mockSalt(mockSecret, user), ScramCredentials.DEFAULT_ITERATIONS, new byte[32], new byte[32]);
        }
        byte[] serverNonce = new byte[18];
        RANDOM.nextBytes(serverNonce);
        nonce = attrs[1].substring(2) + Base64.getEncoder().encodeToString(serverNonce);
        serverFirst =
                "r=" + nonce + ",s=" + Base64.getEncoder().encodeToString(keys.salt()) + ",i=" + keys.iterations();
        return serverFirst.getBytes(StandardCharsets.UTF_8);
    }

    /** Checks the client-final message; returns the server-final message, or null when the proof fails. */
    public byte[] last(byte[] clientFinal) {
        if (clientFinal == null || serverFirst == null) {
            return null;
        }
        String m = new String(clientFinal, StandardCharsets.UTF_8);
        int proofAt = m.lastIndexOf(",p=");
        if (proofAt < 0) {
            return null;
        }
        String withoutProof = m.substring(0, proofAt);
        String expectedBinding = "c=" + Base64.getEncoder().encodeToString(gs2Header.getBytes(StandardCharsets.UTF_8));
        if (!withoutProof.startsWith(expectedBinding + ",r=" + nonce)) {
            return null;
        }
        byte[] proof;
        try {
            proof = Base64.getDecoder().decode(m.substring(proofAt + 3));
        } catch (IllegalArgumentException e) {
            return null;
        }
        byte[] authMessage =
                (clientFirstBare + "," + serverFirst + "," + withoutProof).getBytes(StandardCharsets.UTF_8);
        byte[] signature = ScramCredentials.hmac(keys.storedKey(), authMessage);
        if (proof.length != signature.length) {
            return null;
        }
        byte[] clientKey = new byte[proof.length];
        for (int i = 0; i < proof.length; i++) {
            clientKey[i] = (byte) (proof[i] ^ signature[i]);
        }
        if (!MessageDigest.isEqual(ScramCredentials.sha256(clientKey), keys.storedKey()) || !known) {
            return null;
        }
        String serverFinal =
                "v=" + Base64.getEncoder().encodeToString(ScramCredentials.hmac(keys.serverKey(), authMessage));
        return serverFinal.getBytes(StandardCharsets.UTF_8);
    }

    /** The user named in the client-first message, or null before it. */
    public String user() {
        return user;
    }
}
