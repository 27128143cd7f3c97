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
 * Scenario 4: K persistent sessions, one QoS 1 subscription each ({@code bench/idle/<k>}), disconnected.
 * Memory per session: heap in use after a full GC (JVM peers, via {@code jcmd GC.run} then
 * {@code GC.heap_info}) and resident set size from {@code /proc/PID/status}, before and after. For a JVM
 * peer the class histogram with the sessions held is written beside its log ({@code *-histogram.txt}).
 */
public final class IdleSessionsScenario implements Scenario {
    public static final String HEAP = "heap B/session";
    public static final String RSS = "RSS B/session";
    public static final String SETUP = "sessions/s set up";

    @Override
    public String name() {
        return "idle-sessions";
    }

    @Override
    public String description() {
        return "K persistent sessions with one subscription each, then disconnected: memory per idle offline session";
    }

    @Override
    public String headline() {
        return HEAP;
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
        ctx.persistentSessions(
                peer.port(),
                "bench-idle-",
                k,
                i -> "bench/idle/" + i,
                QoS.AT_LEAST_ONCE,
                i -> new LoadClient.Listener() {},
                false);
        double seconds = (System.nanoTime() - start) / 1e9;
        long heap1 = peer.heapUsedAfterGc();
        long rss1 = peer.rss();
        if (heap1 >= 0 && peer.pid() > 0) {
            // what an idle session is made of: the class histogram of a broker JVM of its own, beside its log
            // (an embedded broker shares the benchmark's JVM: its histogram would be the benchmark's too)
            Path histogram = peer.dataDir().resolveSibling(peer.dataDir().getFileName() + "-histogram.txt");
            Files.writeString(histogram, Probes.jcmd(peer.pid(), "GC.class_histogram"));
        }
        Map<String, Double> f = new LinkedHashMap<>();
        f.put(HEAP, heap0 < 0 ? Double.NaN : (heap1 - heap0) / (double) k);
        f.put(RSS, rss0 < 0 ? Double.NaN : (rss1 - rss0) / (double) k);
        f.put(SETUP, k / seconds);
        f.put("sessions", (double) k);
        f.put("heap after MB", heap1 < 0 ? Double.NaN : heap1 / 1e6);
        f.put("RSS after MB", rss1 < 0 ? Double.NaN : rss1 / 1e6);
        return new Result(name(), peer.name(), f, "no messages", true, "", Probes.loadAverage());
    }
}
