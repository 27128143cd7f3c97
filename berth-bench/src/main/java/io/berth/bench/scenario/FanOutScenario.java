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
import org.HdrHistogram.Histogram;

/**
 * Scenario 5: one QoS 1 publisher to F online persistent subscribers of {@code bench/fan}, after a warm-up
 * of the same shape ({@link Warmup}) on {@code bench/fan-warm} and {@code bench/fan-warm2}, whose F sessions are
 * discarded after each round.
 * The warm-up publishes {@code warmupMessages / F} messages, so that it makes about
 * {@link Settings#warmupMessages()} deliveries.
 */
public final class FanOutScenario implements Scenario {
    public static final String RATE = "deliveries/s";
    /** Broker CPU time (user + system, all its threads) per delivery. */
    public static final String CPU = "broker CPU µs/delivery";

    @Override
    public String name() {
        return "fan-out";
    }

    @Override
    public String description() {
        return "one QoS 1 publisher (windowed) to F online persistent QoS 1 subscribers of one topic; after a"
                + " warm-up of the same shape on the same broker (its messages counted as deliveries), not counted";
    }

    @Override
    public String headline() {
        return RATE;
    }

    @Override
    public boolean higherIsBetter() {
        return true;
    }

    @Override
    public Result run(Peer peer, Context ctx) throws Exception {
        Settings s = ctx.settings();
        int fan = s.fanoutSubscribers();
        long warmup = s.warmupMessages() / fan;
        String note = "";
        for (int i = 0; warmup > 0 && i < Warmup.ROUNDS; i++) {
            String name = "fan-" + Warmup.name(i);
            long share = Warmup.share(warmup, i);
            Phase w = phase(peer, ctx, name, share, Warmup.deadline(s));
            note = Warmup.join(note, Warmup.note(w.collector, share * fan, w.done));
            ctx.discard(peer.port(), "bench-" + name + "-", fan);
        }
        long messages = s.fanoutMessages();
        long expected = messages * fan;
        Phase r =
                phase(peer, ctx, "fan", messages, System.nanoTime() + s.limit().toNanos());
        Collector collector = r.collector;
        long delivered = collector.check().distinct();
        Map<String, Double> f = new LinkedHashMap<>();
        f.put(RATE, delivered / Math.max(1e-9, (r.end - r.start) / 1e9));
        f.put(OnlineScenario.P50, collector.latencyMicros().getValueAtPercentile(50) / 1000.0);
        f.put(OnlineScenario.P99, collector.latencyMicros().getValueAtPercentile(99) / 1000.0);
        f.put(CPU, r.cpuSeconds * 1e6 / Math.max(1, delivered));
        f.put("subscribers", (double) fan);
        f.put("messages", (double) messages);
        SequenceSummary sum = SequenceSummary.of(collector, expected, !r.done);
        return new Result(
                name(),
                peer.name(),
                f,
                sum.text(),
                sum.clean(),
                Warmup.join(note, r.done ? "" : "time limit hit"),
                Probes.loadAverage());
    }

    /** One phase; {@code cpuSeconds} is the broker's CPU from the first publish to the end. */
    private record Phase(Collector collector, boolean done, long start, long end, double cpuSeconds) {}

    /**
     * F persistent subscribers {@code bench-<name>-0..F-1} of {@code bench/<name>}, one publisher
     * {@code bench-pub-<name>} of {@code messages}.
     */
    private static Phase phase(Peer peer, Context ctx, String name, long messages, long deadline) throws Exception {
        Settings s = ctx.settings();
        String topic = "bench/" + name;
        int fan = s.fanoutSubscribers();
        Collector collector = new Collector(messages * fan);
        List<LoadClient> clients = new ArrayList<>(ctx.persistentSessions(
                peer.port(), "bench-" + name + "-", fan, i -> topic, QoS.AT_LEAST_ONCE, collector::listener, true));
        Histogram ackMicros = new Histogram(3_600_000_000L, 3);
        Publisher pub = new Publisher(
                0, QoS.AT_LEAST_ONCE, s.window(), s.payload(), messages, 0, seq -> topic, ackMicros, s.batchedWrites());
        LoadClient pc = ctx.connect(peer.port(), "bench-pub-" + name, true, pub).get();
        clients.add(pc);
        double cpuBefore = Probes.cpuSeconds(peer.pid());
        long start = System.nanoTime();
        pub.start(pc);
        boolean done = Context.awaitProgress(collector, deadline);
        long end = done ? collector.lastNanos() : System.nanoTime();
        double cpu = Probes.cpuSeconds(peer.pid()) - cpuBefore;
        Context.closeAll(clients);
        return new Phase(collector, done, start, end, cpu);
    }
}
