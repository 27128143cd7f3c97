package io.berth.broker.auth;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Remembers, for a few minutes, that a password was verified against a user's stored hash, so that a
 * fleet reconnecting after a network blip does not queue for the slow hash again. What is kept is an
 * HMAC-SHA256 of the password under a key that is random per broker and never leaves memory, together
 * with the stored hash it was checked against: a changed or removed user no longer matches.
 *
 * <p>Threading: any thread (a concurrent map of immutable entries).
 */
final class VerifiedLogins {
    static final long KEEP_MILLIS = 5 * 60 * 1000;
    static final int MAX_ENTRIES = 10_000;

    private final byte[] key = new byte[32];
    private final LongSupplier clock;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    VerifiedLogins(LongSupplier clock) {
        new SecureRandom().nextBytes(key);
        this.clock = clock;
    }

    /** True when {@code password} was verified for {@code user} with this {@code storedHash} lately. */
    boolean matches(String user, String storedHash, byte[] password) {
        Entry e = entries.get(user);
        return e != null
                && clock.getAsLong() - e.verifiedMillis < KEEP_MILLIS
                && e.storedHash.equals(storedHash)
                && MessageDigest.isEqual(e.mac, mac(password));
    }

    void remember(String user, String storedHash, byte[] password) {
        long now = clock.getAsLong();
        if (entries.size() >= MAX_ENTRIES) {
            Iterator<Entry> it = entries.values().iterator();
            while (it.hasNext()) {
                if (now - it.next().verifiedMillis >= KEEP_MILLIS) {
                    it.remove();
                }
            }
            if (entries.size() >= MAX_ENTRIES) {
                return;
            }
        }
        entries.put(user, new Entry(storedHash, mac(password), now));
    }

    private byte[] mac(byte[] password) {
        try {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(new SecretKeySpec(key, "HmacSHA256"));
            return m.doFinal(password);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JDK", e);
        }
    }

    private record Entry(String storedHash, byte[] mac, long verifiedMillis) {}
}
