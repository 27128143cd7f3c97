package io.berth.broker.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

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

    private final Function<String, @Nullable ScramCredentials> lookup;
    private final byte[] mockSecret;
    private @Nullable String user;
    /** A client-first message was read (well-formed or not): a second one is refused. */
    private boolean firstRead;
    /** What the server-first message committed to; null until a well-formed client-first. */
    private @Nullable Exchange exchange;

    private record Exchange(
            String gs2Header,
            String clientFirstBare,
            String serverFirst,
            String nonce,
            ScramCredentials keys,
            boolean known) {}

    /**
     * @param lookup the stored keys of a user, or null for an unknown one
     * @param mockSecret the key of the made-up salts of unknown users (secret, random per broker)
     */
    ScramServer(Function<String, @Nullable ScramCredentials> lookup, byte[] mockSecret) {
        this.lookup = lookup;
        this.mockSecret = mockSecret;
    }

    /** The salt shown for a user that has no SCRAM keys: stable for a name, unpredictable without the secret. */
    static byte[] mockSalt(byte[] secret, String user) {
        byte[] mac = ScramCredentials.hmac(secret, user.getBytes(StandardCharsets.UTF_8));
        return java.util.Arrays.copyOf(mac, 16);
    }

    /** Reads the client-first message; returns the server-first message, or null when it is malformed. */
    public byte @Nullable [] first(byte @Nullable [] clientFirst) {
        if (clientFirst == null || firstRead) {
            return null;
        }
        firstRead = true;
        String m = new String(clientFirst, StandardCharsets.UTF_8);
        // gs2-header: "n,," or "y,," (no channel binding), optionally with an authzid we do not support
        if (!(m.startsWith("n,,") || m.startsWith("y,,"))) {
            return null;
        }
        String gs2Header = m.substring(0, 3);
        String clientFirstBare = m.substring(3);
        String[] attrs = clientFirstBare.split(",");
        if (attrs.length < 2 || !attrs[0].startsWith("n=") || !attrs[1].startsWith("r=") || attrs[1].length() < 3) {
            return null;
        }
        String name = attrs[0].substring(2).replace("=2C", ",").replace("=3D", "=");
        user = name;
        ScramCredentials stored = lookup.apply(name);
        boolean known = stored != null;
        ScramCredentials keys = stored != null
                ? stored
                : new ScramCredentials(
                        mockSalt(mockSecret, name), ScramCredentials.DEFAULT_ITERATIONS, new byte[32], new byte[32]);
        byte[] serverNonce = new byte[18];
        RANDOM.nextBytes(serverNonce);
        String nonce = attrs[1].substring(2) + Base64.getEncoder().encodeToString(serverNonce);
        String serverFirst =
                "r=" + nonce + ",s=" + Base64.getEncoder().encodeToString(keys.salt()) + ",i=" + keys.iterations();
        exchange = new Exchange(gs2Header, clientFirstBare, serverFirst, nonce, keys, known);
        return serverFirst.getBytes(StandardCharsets.UTF_8);
    }

    /** Checks the client-final message; returns the server-final message, or null when the proof fails. */
    public byte @Nullable [] last(byte @Nullable [] clientFinal) {
        Exchange x = exchange;
        if (clientFinal == null || x == null) {
            return null;
        }
        String m = new String(clientFinal, StandardCharsets.UTF_8);
        int proofAt = m.lastIndexOf(",p=");
        if (proofAt < 0) {
            return null;
        }
        String withoutProof = m.substring(0, proofAt);
        String expectedBinding =
                "c=" + Base64.getEncoder().encodeToString(x.gs2Header().getBytes(StandardCharsets.UTF_8));
        if (!withoutProof.startsWith(expectedBinding + ",r=" + x.nonce())) {
            return null;
        }
        byte[] proof;
        try {
            proof = Base64.getDecoder().decode(m.substring(proofAt + 3));
        } catch (IllegalArgumentException e) {
            return null;
        }
        byte[] authMessage =
                (x.clientFirstBare() + "," + x.serverFirst() + "," + withoutProof).getBytes(StandardCharsets.UTF_8);
        byte[] signature = ScramCredentials.hmac(x.keys().storedKey(), authMessage);
        if (proof.length != signature.length) {
            return null;
        }
        byte[] clientKey = new byte[proof.length];
        for (int i = 0; i < proof.length; i++) {
            clientKey[i] = (byte) (proof[i] ^ signature[i]);
        }
        if (!MessageDigest.isEqual(ScramCredentials.sha256(clientKey), x.keys().storedKey()) || !x.known()) {
            return null;
        }
        String serverFinal = "v="
                + Base64.getEncoder()
                        .encodeToString(ScramCredentials.hmac(x.keys().serverKey(), authMessage));
        return serverFinal.getBytes(StandardCharsets.UTF_8);
    }

    /** The user named in the client-first message, or null before it. */
    public @Nullable String user() {
        return user;
    }
}
