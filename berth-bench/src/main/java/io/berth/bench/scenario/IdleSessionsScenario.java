package io.berth.bench.scenario;

import io.berth.bench.client.LoadClient;
import io.berth.bench.peer.Peer;
import io.berth.bench.peer.Probes;
import io.berth.codec.QoS;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Scenario 4: K persistent sessions, one QoS 1 subscription each ({@code bench/idle/<i>}), disconnected,
 * then K more ({@code bench/idle2/<i>}). Memory per session: heap in use after a full GC (JVM peers, via {@code jcmd GC.run} then
 * {@code GC.heap_info}) and resident set size from {@code /proc/PID/status}, before, after the first K and
 * after the second K. Two figures each: the average over the first K (which carries the fixed cost of the
 * first sessions on a fresh broker: JIT, eden pages, allocator arenas, tables that grow) and the marginal
 * cost, from the second K (what one more idle session costs). Cold by nature: no warm-up. For a JVM peer
 * the class histogram with the sessions held is written beside its log ({@code *-histogram.txt}).
 */
public final class IdleSessionsScenario implements Scenario {
    /** Heap growth over the first K sessions divided by K, fixed costs included. */
    public static final String HEAP = "heap B/session (first K, avg)";
    /** Heap growth from K to 2K sessions divided by K: the marginal cost of an idle session. */
    public static final String HEAP_MARGINAL = "heap B/session (marginal, 2nd K)";

    public static final String RSS = "RSS B/session (first K, avg)";
    public static final String RSS_MARGINAL = "RSS B/session (marginal, 2nd K)";
    public static final String SETUP = "sessions/s set up";

    @Override
    public String name() {
        return "idle-sessions";
    }

    @Override
    public String description() {
        return "K persistent sessions with one subscription each, then disconnected, then K more: memory per idle"
                + " offline session, as the average over the first K (fixed costs of a fresh broker included) and as"
                + " the marginal cost from the second K; heap after a full GC; cold (no warm-up)";
    }

    @Override
    public String headline() {
        return HEAP_MARGINAL;
    }

    @Override
    public boolean higherIsBetter() {
        return false;
    }

    @Override
    public Result run(Peer peer, Context ctx) throws Exception {
        int k = ctx.settings().idleSessions();
        long heap0 = peer.heapUsedAfterGc();
        long rss0 = peer.rss();
        long start = System.nanoTime();
        sessions(peer, ctx, "idle", k);
        double seconds = (System.nanoTime() - start) / 1e9;
        long heap1 = peer.heapUsedAfterGc();
        long rss1 = peer.rss();
        sessions(peer, ctx, "idle2", k);
        long heap2 = peer.heapUsedAfterGc();
        long rss2 = peer.rss();
        if (heap2 >= 0 && peer.pid() > 0) {
            // what an idle session is made of: the class histogram of a broker JVM of its own, beside its log
            // (an embedded broker shares the benchmark's JVM: its histogram would be the benchmark's too)
            Path histogram = peer.dataDir().resolveSibling(peer.dataDir().getFileName() + "-histogram.txt");
            Files.writeString(histogram, Probes.jcmd(peer.pid(), "GC.class_histogram"));
        }
        Map<String, Double> f = new LinkedHashMap<>();
        f.put(HEAP, perSession(heap0, heap1, k));
        f.put(HEAP_MARGINAL, perSession(heap1, heap2, k));
        f.put(RSS, perSession(rss0, rss1, k));
        f.put(RSS_MARGINAL, perSession(rss1, rss2, k));
        f.put(SETUP, k / seconds);
        f.put("sessions", 2.0 * k);
        f.put("heap after MB", heap2 < 0 ? Double.NaN : heap2 / 1e6);
        f.put("RSS after MB", rss2 < 0 ? Double.NaN : rss2 / 1e6);
        return new Result(name(), peer.name(), f, "no messages", true, "", Probes.loadAverage());
    }

    /** Growth from {@code before} to {@code after} per session; NaN when the peer cannot tell (-1). */
    static double perSession(long before, long after, int k) {
        return before < 0 || after < 0 ? Double.NaN : (after - before) / (double) k;
    }

    /** Sessions {@code bench-<name>-0..k-1}, each subscribed to {@code bench/<name>/<i>}, disconnected. */
    private static void sessions(Peer peer, Context ctx, String name, int k) throws Exception {
        ctx.persistentSessions(
                peer.port(),
                "bench-" + name + "-",
                k,
                i -> "bench/" + name + "/" + i,
                QoS.AT_LEAST_ONCE,
                i -> new LoadClient.Listener() {},
                false);
    }
}
