package io.berth.bench.scenario;

import io.berth.bench.client.Collector;
import io.berth.bench.client.LoadClient;
import io.berth.bench.client.Publisher;
import io.berth.bench.peer.Peer;
import io.berth.bench.peer.Probes;
import io.berth.codec.QoS;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.HdrHistogram.Histogram;

/**
 * Scenarios 2 and 3: queue messages for offline persistent sessions (QoS 1, each session on its own
 * topic), then either reconnect and drain them, or first restart the broker (clean stop or SIGKILL) and
 * measure how long until a CONNECT is accepted and until everything is drained.
 */
public final class FillDrainScenario implements Scenario {
    public static final String FILL = "fill msg/s";
    public static final String FIRST = "first msg ms";
    public static final String DRAIN = "drain msg/s";
    public static final String CONNECT = "connect after restart ms";
    public static final String OWN_START = "recovery ms (broker's own)";
    public static final String DRAINED = "drained after restart s";

    /** How the broker is restarted between fill and drain. */
    public enum Restart {
        NONE,
        CLEAN,
        KILL
    }

    private final Restart restart;

    public FillDrainScenario(Restart restart) {
        this.restart = restart;
    }

    @Override
    public String name() {
        return switch (restart) {
            case NONE -> "offline-fill-drain";
            case CLEAN -> "restart-clean";
            case KILL -> "restart-kill";
        };
    }

    @Override
    public String description() {
        return switch (restart) {
            case NONE -> "QoS 1 messages queued for offline persistent sessions, then the sessions reconnect and drain";
            case CLEAN ->
                "offline sessions with queued messages; the broker is stopped with SIGTERM and started "
                        + "again; time (process start included) until a CONNECT is accepted and until all is drained";
            case KILL -> "as restart-clean, but the broker is ended with SIGKILL: only what it had on disk survives";
        };
    }

    @Override
    public String headline() {
        return restart == Restart.NONE ? DRAIN : CONNECT;
    }

    @Override
    public boolean higherIsBetter() {
        return restart == Restart.NONE;
    }

    @Override
    public Result run(Peer peer, Context ctx) throws Exception {
        Settings s = ctx.settings();
        int sessions = restart == Restart.NONE ? s.offlineSessions() : s.restartSessions();
        long wanted = restart == Restart.NONE ? s.offlineMessages() : s.restartMessages();
        int publishers = Math.min(s.publishers(), sessions);
        long perPublisher = wanted / publishers;
        long total = perPublisher * publishers;
        String prefix = "bench-off-";
        ctx.persistentSessions(
                peer.port(),
                prefix,
                sessions,
                i -> "bench/offline/" + i,
                QoS.AT_LEAST_ONCE,
                i -> new LoadClient.Listener() {},
                false);
        long deadline = System.nanoTime() + s.limit().toNanos();
        Map<String, Double> f = new LinkedHashMap<>();
        String note = "";

        long fillStart = System.nanoTime();
        Histogram ackMicros = new Histogram(3_600_000_000L, 3);
        List<CompletableFuture<Void>> acks = new ArrayList<>();
        List<LoadClient> pubClients = new ArrayList<>();
        for (int p = 0; p < publishers; p++) {
            int offset = p;
            Publisher pub = new Publisher(
                    p,
                    QoS.AT_LEAST_ONCE,
                    s.window(),
                    s.payload(),
                    perPublisher,
                    0,
                    seq -> "bench/offline/" + (int) ((seq + offset) % sessions),
                    ackMicros);
            LoadClient c = ctx.connect(peer.port(), "bench-pub-" + p, true, pub).get();
            pubClients.add(c);
            acks.add(pub.start(c));
        }
        boolean filled = Context.await(CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)), deadline);
        f.put(FILL, total / Math.max(1e-9, (System.nanoTime() - fillStart) / 1e9));
        Context.closeAll(pubClients);
        if (!filled) {
            return new Result(
                    name(),
                    peer.name(),
                    f,
                    "fill not finished",
                    false,
                    "time limit hit while filling",
                    Probes.loadAverage());
        }

        long resumeStart = System.nanoTime();
        if (restart != Restart.NONE) {
            if (restart == Restart.CLEAN) {
                peer.stop();
            } else {
                peer.kill();
            }
            resumeStart = System.nanoTime();
            peer.start(peer.dataDir());
            probeConnect(peer, ctx, deadline);
            f.put(CONNECT, (System.nanoTime() - resumeStart) / 1e6);
            f.put(OWN_START, peer.selfReportedStartMillis());
        }
        Collector collector = new Collector(total);
        long drainStart = System.nanoTime();
        List<LoadClient> subs = new ArrayList<>();
        int sessionsLost = 0;
        for (CompletableFuture<LoadClient> c : ctx.resume(peer.port(), prefix, sessions, collector::listener)) {
            LoadClient client = c.get();
            subs.add(client);
            sessionsLost += client.sessionPresent() ? 0 : 1;
        }
        // When the broker kept no session there is nothing to wait for.
        boolean drained = sessionsLost < sessions && Context.awaitProgress(collector, deadline);
        long end = drained ? collector.lastNanos() : System.nanoTime();
        Context.closeAll(subs);
        if (restart == Restart.NONE) {
            f.put(FIRST, collector.firstNanos() == 0 ? Double.NaN : (collector.firstNanos() - drainStart) / 1e6);
            f.put(DRAIN, collector.check().distinct() / Math.max(1e-9, (end - drainStart) / 1e9));
        } else {
            f.put(DRAINED, drained ? (end - resumeStart) / 1e9 : Double.NaN);
        }
        f.put("sessions lost", (double) sessionsLost);
        f.put("queued", (double) total);
        f.put("sessions", (double) sessions);
        if (!drained) {
            note = "not drained (time limit, or nothing more came for " + Context.IDLE_SECONDS + " s)";
        }
        SequenceSummary sum = SequenceSummary.of(collector, total, !drained && sessionsLost == 0);
        return new Result(name(), peer.name(), f, sum.text(), sum.clean(), note, Probes.loadAverage());
    }

    /** Connects a probe client until the broker answers with CONNACK. */
    private static void probeConnect(Peer peer, Context ctx, long deadline) throws Exception {
        while (System.nanoTime() < deadline) {
            try {
                LoadClient probe = ctx.connect(peer.port(), "bench-probe", true, new LoadClient.Listener() {})
                        .get();
                probe.disconnect().get();
                return;
            } catch (Exception e) {
                Thread.sleep(5);
            }
        }
    }
}
