package io.berth.broker.auth;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * What each source address may hold, aimed at what misbehaves rather than at whoever shares the
 * address (NAT, load balancers, loopback):
 *
 * <ul>
 *   <li>At most {@code maxConnections} open connections. When the limit is reached, the oldest
 *       connection of the address that has not sent its CONNECT yet (else the oldest still logging in)
 *       is closed to make room; a new connection is refused only when every one has logged in.
 *   <li>Failures (malformed input, a failed login, no CONNECT in time, a close before logging in) cost
 *       a token of a bucket refilled at {@code failuresPerSecond} (twice as many saved up). While the
 *       bucket is empty the address is {@link #penalized}: its new connections must send CONNECT within
 *       {@link #PENALIZED_CONNECT_MILLIS} instead of the connect timeout, so that a flood of half-open
 *       connections costs little, while a client that connects correctly is not even slowed down.
 * </ul>
 *
 * <p>Nothing here refuses a connection for its address's failures: clients behind the same address
 * (NAT, load balancer, loopback) keep connecting through any flood.
 *
 * <p>Threading: any thread; the entries are guarded by this object's monitor. {@link Connection#evict}
 * is called outside it.
 */
public final class AddressLimits {
    /** How long a new connection of a failing address may take to send its CONNECT. */
    public static final long PENALIZED_CONNECT_MILLIS = 2000;

    private static final int MAX_TRACKED = 100_000;

    /** One counted connection. */
    public interface Connection {
        /** Closes the connection to make room for a newer one; may be called from any thread. */
        void evict();
    }

    private final int maxConnections;
    private final int failuresPerSecond;
    private final LongSupplier nanoClock;
    private final Map<InetAddress, Entry> entries = new HashMap<>();

    public AddressLimits(int maxConnections, int failuresPerSecond, LongSupplier nanoClock) {
        this.maxConnections = maxConnections;
        this.failuresPerSecond = failuresPerSecond;
        this.nanoClock = nanoClock;
    }

    /**
     * Counts a new connection from {@code address}; false when it must be refused. A connection evicted
     * to make room is closed through {@link Connection#evict}, and counted in {@code evicted}.
     */
    public boolean opened(InetAddress address, Connection c, Runnable evicted) {
        Connection victim = null;
        synchronized (this) {
            if (entries.size() > MAX_TRACKED) {
                entries.values().removeIf(e -> e.all.isEmpty());
            }
            Entry e = entries.computeIfAbsent(address, a -> new Entry(2.0 * failuresPerSecond, nanoClock.getAsLong()));
            refill(e);
            if (maxConnections > 0 && e.all.size() >= maxConnections) {
                victim = oldest(e.beforeConnect.isEmpty() ? e.loggingIn : e.beforeConnect);
                if (victim == null) {
                    return false;
                }
                forget(e, victim);
            }
            e.all.add(c);
            e.beforeConnect.add(c);
        }
        if (victim != null) {
            evicted.run();
            victim.evict();
        }
        return true;
    }

    /** The connection's CONNECT arrived; it is logging in. */
    public synchronized void connectReceived(InetAddress address, Connection c) {
        Entry e = entries.get(address);
        if (e != null && e.beforeConnect.remove(c)) {
            e.loggingIn.add(c);
        }
    }

    /** The connection logged in: it is never evicted. */
    public synchronized void loggedIn(InetAddress address, Connection c) {
        Entry e = entries.get(address);
        if (e != null) {
            e.beforeConnect.remove(c);
            e.loggingIn.remove(c);
        }
    }

    /** Something from the address failed: costs a token. */
    public synchronized void failed(InetAddress address) {
        Entry e = entries.get(address);
        if (e != null && failuresPerSecond > 0) {
            refill(e);
            e.tokens = Math.max(0, e.tokens - 1);
        }
    }

    /** A connection counted by {@link #opened} closed. */
    public synchronized void closed(InetAddress address, Connection c) {
        Entry e = entries.get(address);
        if (e == null) {
            return;
        }
        forget(e, c);
        if (e.all.isEmpty()) {
            refill(e);
            if (failuresPerSecond == 0 || e.tokens >= 2.0 * failuresPerSecond) {
                entries.remove(address);
            }
        }
    }

    /** True while the address has used up its failures (for tests and metrics). */
    public synchronized boolean penalized(InetAddress address) {
        Entry e = entries.get(address);
        if (e == null || failuresPerSecond == 0) {
            return false;
        }
        refill(e);
        return e.tokens < 1;
    }

    private void refill(Entry e) {
        long now = nanoClock.getAsLong();
        e.tokens = Math.min(2.0 * failuresPerSecond, e.tokens + (now - e.refilledNanos) * failuresPerSecond / 1e9);
        e.refilledNanos = now;
    }

    private static void forget(Entry e, Connection c) {
        e.all.remove(c);
        e.beforeConnect.remove(c);
        e.loggingIn.remove(c);
    }

    private static @Nullable Connection oldest(Set<Connection> set) {
        Iterator<Connection> it = set.iterator();
        return it.hasNext() ? it.next() : null;
    }

    /** Threading: guarded by the monitor of the {@link AddressLimits}. */
    private static final class Entry {
        final Set<Connection> all = new LinkedHashSet<>();
        final Set<Connection> beforeConnect = new LinkedHashSet<>();
        final Set<Connection> loggingIn = new LinkedHashSet<>();
        double tokens;
        long refilledNanos;

        Entry(double tokens, long refilledNanos) {
            this.tokens = tokens;
            this.refilledNanos = refilledNanos;
        }
    }
}
