package io.berth.broker.auth;

import java.net.InetAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Open connections and new connections per second from each source address. The rate is a token
 * bucket per address: {@code perSecond} tokens a second, up to twice as many saved up.
 *
 * <p>Threading: any thread; each address's entry is changed atomically inside {@link Map#compute}.
 */
public final class AddressLimits {
    /** Why a connection was refused, or {@link #ACCEPTED}. */
    public enum Verdict {
        ACCEPTED,
        TOO_MANY_CONNECTIONS,
        TOO_FAST
    }

    private static final int MAX_TRACKED = 100_000;

    private final int maxConnections;
    private final int perSecond;
    private final LongSupplier nanoClock;
    private final Map<InetAddress, Entry> entries = new ConcurrentHashMap<>();

    public AddressLimits(int maxConnections, int perSecond, LongSupplier nanoClock) {
        this.maxConnections = maxConnections;
        this.perSecond = perSecond;
        this.nanoClock = nanoClock;
    }

    /** Counts a new connection from {@code address} unless a limit refuses it. */
    public Verdict opened(InetAddress address) {
        Verdict[] verdict = {Verdict.ACCEPTED};
        long now = nanoClock.getAsLong();
        if (entries.size() > MAX_TRACKED) {
            entries.values().removeIf(e -> e.open == 0);
        }
        entries.compute(address, (a, e) -> {
            Entry x = e == null ? new Entry(0, 2.0 * perSecond, now) : e;
            double tokens = Math.min(2.0 * perSecond, x.tokens + (now - x.refilledNanos) * perSecond / 1e9);
            if (maxConnections > 0 && x.open >= maxConnections) {
                verdict[0] = Verdict.TOO_MANY_CONNECTIONS;
                return new Entry(x.open, tokens, now);
            }
            if (perSecond > 0) {
                if (tokens < 1) {
                    verdict[0] = Verdict.TOO_FAST;
                    return new Entry(x.open, tokens, now);
                }
                tokens -= 1;
            }
            return new Entry(x.open + 1, tokens, now);
        });
        return verdict[0];
    }

    /** A connection counted by {@link #opened} closed. */
    public void closed(InetAddress address) {
        entries.computeIfPresent(address, (a, e) -> {
            int open = e.open - 1;
            boolean full = perSecond == 0
                    || e.tokens + (nanoClock.getAsLong() - e.refilledNanos) * perSecond / 1e9 >= 2.0 * perSecond;
            return open <= 0 && full ? null : new Entry(open, e.tokens, e.refilledNanos);
        });
    }

    private record Entry(int open, double tokens, long refilledNanos) {}
}
