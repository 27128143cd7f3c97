package io.berth.broker.auth;

import java.net.InetAddress;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Slows down password guessing: after failed logins from an address, the next logins from it wait
 * 100 ms, then 200 ms, doubling up to a maximum; a success clears the address. Failures older than ten
 * minutes are forgotten.
 *
 * <p>Threading: any thread (a concurrent map of immutable entries).
 */
public final class LoginBackoff {
    static final long FIRST_DELAY_MILLIS = 100;
    static final long FORGET_AFTER_MILLIS = 10 * 60 * 1000;
    private static final int MAX_TRACKED = 100_000;

    private final long maxMillis;
    private final LongSupplier clock;
    private final Map<InetAddress, Failures> failures = new ConcurrentHashMap<>();

    public LoginBackoff(long maxMillis, LongSupplier clock) {
        this.maxMillis = maxMillis;
        this.clock = clock;
    }

    /** How long a login from {@code address} waits before it is checked. */
    public long delayMillis(@Nullable InetAddress address) {
        if (address == null || maxMillis == 0) {
            return 0;
        }
        Failures f = failures.get(address);
        if (f == null || clock.getAsLong() - f.lastMillis > FORGET_AFTER_MILLIS) {
            return 0;
        }
        int shift = Math.min(f.count - 1, 30);
        return Math.min(maxMillis, FIRST_DELAY_MILLIS << shift);
    }

    public void failed(@Nullable InetAddress address) {
        if (address == null) {
            return;
        }
        long now = clock.getAsLong();
        if (failures.size() >= MAX_TRACKED) {
            forgetOld(now);
        }
        failures.merge(address, new Failures(1, now), (a, b) -> new Failures(a.count + 1, now));
    }

    public void succeeded(@Nullable InetAddress address) {
        if (address != null) {
            failures.remove(address);
        }
    }

    private void forgetOld(long now) {
        Iterator<Failures> it = failures.values().iterator();
        while (it.hasNext()) {
            if (now - it.next().lastMillis > FORGET_AFTER_MILLIS) {
                it.remove();
            }
        }
    }

    private record Failures(int count, long lastMillis) {}
}
