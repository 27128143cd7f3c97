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
 * measure how long until a CONNECT is accepted and until everything is drained. Without a restart, a
 * warm-up of the same fill and drain runs first on the same broker ({@link Warmup}); the restart variants
 * run cold (the restart starts a new process anyway).
 */
public final class FillDrainScenario implements Scenario {
    public static final String FILL = "fill msg/s";
    public static final String FIRST = "first msg ms";
    public static final String DRAIN = "drain msg/s";
    public static final String CONNECT = "connect after restart ms";
    public static final String OWN_START = "recovery ms (broker's own)";
    public static final String DRAINED = "drained after restart s";
    /** Broker CPU time (user + system, all its threads) per message while filling and while draining. */
    public static final String FILL_CPU = "fill broker CPU µs/msg";

    public static final String DRAIN_CPU = "drain broker CPU µs/msg";

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
            case NONE ->
                "QoS 1 messages queued for offline persistent sessions, then the sessions reconnect and drain;"
                        + " after a warm-up fill and drain of the same shape on the same broker, not counted";
            case CLEAN ->
                "offline sessions with queued messages; the broker is stopped with SIGTERM and started "
                        + "again; time (process start included) until a CONNECT is accepted and until all is drained;"
                        + " cold (no warm-up)";
            case KILL ->
                "as restart-clean, but the broker is ended with SIGKILL: only what it had on disk survives;"
                        + " cold (no warm-up)";
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
        String note = "";
        for (int i = 0; restart == Restart.NONE && s.warmupMessages() > 0 && i < Warmup.ROUNDS; i++) {
            note = Warmup.join(note, warmUp(peer, ctx, sessions, i));
        }
        String name = "off";
        long deadline = System.nanoTime() + s.limit().toNanos();
        Map<String, Double> f = new LinkedHashMap<>();

        Fill fill = fill(peer, ctx, name, sessions, wanted, deadline);
        long total = fill.total;
        f.put(FILL, total / Math.max(1e-9, fill.seconds));
        if (restart == Restart.NONE) {
            f.put(FILL_CPU, fill.cpuSeconds * 1e6 / Math.max(1, total));
        }
        if (!fill.filled) {
            return new Result(
                    name(),
                    peer.name(),
                    f,
                    "fill not finished",
                    false,
                    Warmup.join(note, "time limit hit while filling"),
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
        Drain d = drain(peer, ctx, name, sessions, total, deadline);
        Collector collector = d.collector;
        if (restart == Restart.NONE) {
            f.put(FIRST, collector.firstNanos() == 0 ? Double.NaN : (collector.firstNanos() - d.start) / 1e6);
            f.put(DRAIN, collector.check().distinct() / Math.max(1e-9, (d.end - d.start) / 1e9));
            f.put(DRAIN_CPU, d.cpuSeconds * 1e6 / Math.max(1, collector.check().distinct()));
        } else {
            f.put(DRAINED, d.drained ? (d.end - resumeStart) / 1e9 : Double.NaN);
        }
        f.put("sessions lost", (double) d.sessionsLost);
        f.put("queued", (double) total);
        f.put("sessions", (double) sessions);
        if (!d.drained) {
            note = Warmup.join(
                    note, "not drained (time limit, or nothing more came for " + Context.IDLE_SECONDS + " s)");
        }
        SequenceSummary sum = SequenceSummary.of(collector, total, !d.drained && d.sessionsLost == 0);
        return new Result(name(), peer.name(), f, sum.text(), sum.clean(), note, Probes.loadAverage());
    }

    /**
     * Round {@code round} of the warm-up ({@link Warmup}): the same fill and drain on sessions, topics and
     * publishers of its own, then its sessions discarded so that nothing of it stays queued; returns its note.
     */
    private static String warmUp(Peer peer, Context ctx, int sessions, int round) throws Exception {
        Settings s = ctx.settings();
        String name = "off" + Warmup.name(round);
        long deadline = Warmup.deadline(s);
        Fill fill = fill(peer, ctx, name, sessions, Warmup.share(s.warmupMessages(), round), deadline);
        String note;
        if (fill.filled) {
            Drain d = drain(peer, ctx, name, sessions, fill.total, deadline);
            note = d.sessionsLost > 0
                    ? "warm-up: " + d.sessionsLost + " sessions lost"
                    : Warmup.note(d.collector, fill.total, d.drained);
        } else {
            note = "warm-up ended by its time limit while filling";
        }
        ctx.discard(peer.port(), "bench-" + name + "-", sessions);
        return note;
    }

    /** A fill: messages acknowledged, whether all were, its wall time and the broker's CPU time. */
    private record Fill(long total, boolean filled, double seconds, double cpuSeconds) {}

    /**
     * Creates offline persistent sessions {@code bench-<name>-0..n-1} on {@code bench/<name>/<i>}, then
     * publishers {@code bench-pub-<name>-<p>} queue {@code wanted} QoS 1 messages over them, round robin.
     */
    private static Fill fill(Peer peer, Context ctx, String name, int sessions, long wanted, long deadline)
            throws Exception {
        Settings s = ctx.settings();
        int publishers = Math.min(s.publishers(), sessions);
        long perPublisher = wanted / publishers;
        ctx.persistentSessions(
                peer.port(),
                "bench-" + name + "-",
                sessions,
                i -> "bench/" + name + "/" + i,
                QoS.AT_LEAST_ONCE,
                i -> new LoadClient.Listener() {},
                false);
        Histogram ackMicros = new Histogram(3_600_000_000L, 3);
        List<Publisher> pubs = new ArrayList<>();
        List<LoadClient> pubClients = new ArrayList<>();
        for (int p = 0; p < publishers; p++) {
            int offset = p;
            pubs.add(new Publisher(
                    p,
                    QoS.AT_LEAST_ONCE,
                    s.window(),
                    s.payload(),
                    perPublisher,
                    0,
                    seq -> "bench/" + name + "/" + (int) ((seq + offset) % sessions),
                    ackMicros,
                    s.batchedWrites()));
            pubClients.add(ctx.connect(peer.port(), "bench-pub-" + name + "-" + p, true, pubs.get(p))
                    .get());
        }
        double cpuBefore = Probes.cpuSeconds(peer.pid());
        long start = System.nanoTime();
        List<CompletableFuture<Void>> acks = new ArrayList<>();
        for (int p = 0; p < publishers; p++) {
            acks.add(pubs.get(p).start(pubClients.get(p)));
        }
        boolean filled = Context.await(CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)), deadline);
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpu = Probes.cpuSeconds(peer.pid()) - cpuBefore;
        Context.closeAll(pubClients);
        return new Fill(perPublisher * publishers, filled, seconds, cpu);
    }

    /**
     * A drain: the sessions reconnected and what they received; {@code cpuSeconds} is the broker's CPU
     * from the first CONNECT to the end (reported only without a restart: the process is the same).
     */
    private record Drain(
            Collector collector, boolean drained, int sessionsLost, long start, long end, double cpuSeconds) {}

    /** Reconnects sessions {@code bench-<name>-0..n-1} all at once and waits for their queues. */
    private static Drain drain(Peer peer, Context ctx, String name, int sessions, long total, long deadline)
            throws Exception {
        Collector collector = new Collector(total);
        double cpuBefore = Probes.cpuSeconds(peer.pid());
        long start = System.nanoTime();
        List<LoadClient> subs = new ArrayList<>();
        int sessionsLost = 0;
        for (CompletableFuture<LoadClient> c :
                ctx.resume(peer.port(), "bench-" + name + "-", sessions, collector::listener)) {
            LoadClient client = c.get();
            subs.add(client);
            sessionsLost += client.sessionPresent() ? 0 : 1;
        }
        // When the broker kept no session there is nothing to wait for.
        boolean drained = sessionsLost < sessions && Context.awaitProgress(collector, deadline);
        long end = drained ? collector.lastNanos() : System.nanoTime();
        double cpu = Probes.cpuSeconds(peer.pid()) - cpuBefore;
        Context.closeAll(subs);
        return new Drain(collector, drained, sessionsLost, start, end, cpu);
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
