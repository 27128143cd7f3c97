package io.berth.bench.scenario;

import io.berth.bench.client.LoadClient;
import io.berth.codec.QoS;
import io.netty.channel.EventLoopGroup;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * What scenarios share: the settings, the load generator's event loop (one thread for every client, so
 * the collectors need no locks) and the results so far (the paced run reads the maximum rate).
 *
 * <p>Threading: the benchmark's main thread.
 */
public final class Context {
    /** Clients connecting at the same time when many sessions are set up. */
    private static final int CONNECT_BATCH = 100;

    private final Settings settings;
    private final EventLoopGroup group;
    private final Map<String, Result> results;

    public Context(Settings settings, EventLoopGroup group) {
        this(settings, group, new HashMap<>());
    }

    private Context(Settings settings, EventLoopGroup group, Map<String, Result> results) {
        this.settings = settings;
        this.group = group;
        this.results = results;
    }

    /** The same context with other settings (results shared). */
    public Context with(Settings other) {
        return new Context(other, group, results);
    }

    public Settings settings() {
        return settings;
    }

    public EventLoopGroup group() {
        return group;
    }

    public void remember(Result r) {
        results.put(r.scenario() + "@" + r.peer(), r);
    }

    /** An earlier result of {@code scenario} on {@code peer}, or null. */
    public @Nullable Result earlier(String scenario, String peer) {
        return results.get(scenario + "@" + peer);
    }

    public CompletableFuture<LoadClient> connect(
            int port, String clientId, boolean cleanStart, LoadClient.Listener listener) {
        return LoadClient.connect(group, "127.0.0.1", port, settings.version(), clientId, cleanStart, listener);
    }

    /**
     * Creates persistent sessions {@code prefix0..n-1}, each subscribed to {@code topicOf(i)}, and leaves
     * them connected ({@code stayOnline}) or disconnected.
     */
    public List<LoadClient> persistentSessions(
            int port,
            String prefix,
            int n,
            java.util.function.IntFunction<String> topicOf,
            QoS qos,
            java.util.function.IntFunction<LoadClient.Listener> listenerOf,
            boolean stayOnline)
            throws Exception {
        List<LoadClient> online = new ArrayList<>();
        for (int from = 0; from < n; from += CONNECT_BATCH) {
            List<CompletableFuture<LoadClient>> batch = new ArrayList<>();
            for (int i = from; i < Math.min(n, from + CONNECT_BATCH); i++) {
                int k = i;
                batch.add(connect(port, prefix + k, false, listenerOf.apply(k))
                        .thenCompose(c -> c.subscribe(topicOf.apply(k), qos).thenApply(s -> c)));
            }
            for (CompletableFuture<LoadClient> f : batch) {
                LoadClient c = f.get(30, TimeUnit.SECONDS);
                if (stayOnline) {
                    online.add(c);
                } else {
                    c.disconnect().get(30, TimeUnit.SECONDS);
                }
            }
        }
        return online;
    }

    /**
     * Ends sessions {@code prefix0..n-1}: each client id connects with a clean session (3.1.1
     * {@code cleanSession=1}; 5.0 clean start with no session expiry, so expiry 0) and disconnects, which
     * discards the session with its subscriptions and anything queued for it. A warm-up leaves nothing
     * behind this way.
     */
    public void discard(int port, String prefix, int n) throws Exception {
        for (int from = 0; from < n; from += CONNECT_BATCH) {
            List<CompletableFuture<LoadClient>> batch = new ArrayList<>();
            for (int i = from; i < Math.min(n, from + CONNECT_BATCH); i++) {
                batch.add(connect(port, prefix + i, true, new LoadClient.Listener() {}));
            }
            for (CompletableFuture<LoadClient> f : batch) {
                f.get(30, TimeUnit.SECONDS).disconnect().get(30, TimeUnit.SECONDS);
            }
        }
    }

    /** Reconnects persistent sessions {@code prefix0..n-1} all at once; does not wait for them. */
    public List<CompletableFuture<LoadClient>> resume(
            int port, String prefix, int n, java.util.function.IntFunction<LoadClient.Listener> listenerOf) {
        List<CompletableFuture<LoadClient>> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            all.add(connect(port, prefix + i, false, listenerOf.apply(i)));
        }
        return all;
    }

    /**
     * Starts every publisher on its client (same index) and waits, until {@code deadlineNanos}, for every
     * publish to be acknowledged and then for {@code collector} to have every message; true when both came.
     */
    public static boolean publishAll(
            List<io.berth.bench.client.Publisher> publishers,
            List<LoadClient> clients,
            io.berth.bench.client.Collector collector,
            long deadlineNanos)
            throws Exception {
        List<CompletableFuture<Void>> acks = new java.util.ArrayList<>();
        for (int p = 0; p < publishers.size(); p++) {
            acks.add(publishers.get(p).start(clients.get(p)));
        }
        return await(CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)), deadlineNanos)
                && await(collector.all(), deadlineNanos);
    }

    /** Waits for {@code f} until {@code deadlineNanos}; false when the time ran out. */
    public static boolean await(CompletableFuture<?> f, long deadlineNanos) throws Exception {
        try {
            f.get(Math.max(1, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        }
    }

    /** Seconds without a delivery after which a drain is taken as over. */
    public static final int IDLE_SECONDS = 10;

    /**
     * Waits until {@code c} has everything, the deadline passes, or nothing new arrived for
     * {@link #IDLE_SECONDS}; true when it has everything.
     */
    public static boolean awaitProgress(io.berth.bench.client.Collector c, long deadlineNanos) throws Exception {
        long idleLimit = TimeUnit.SECONDS.toNanos(IDLE_SECONDS);
        long lastCount = -1;
        long lastChange = System.nanoTime();
        while (System.nanoTime() < deadlineNanos) {
            if (await(c.all(), Math.min(deadlineNanos, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200)))) {
                return true;
            }
            long count = c.received();
            long now = System.nanoTime();
            if (count != lastCount) {
                lastCount = count;
                lastChange = now;
            } else if (now - lastChange > idleLimit) {
                return false;
            }
        }
        return false;
    }

    /** Closes every client, without waiting long. */
    public static void closeAll(List<LoadClient> clients) {
        for (LoadClient c : clients) {
            try {
                c.disconnect().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                c.abort();
            }
        }
    }
}
