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

/** Scenario 5: one QoS 1 publisher to F online persistent subscribers of {@code bench/fan}. */
public final class FanOutScenario implements Scenario {
    public static final String RATE = "deliveries/s";

    @Override
    public String name() {
        return "fan-out";
    }

    @Override
    public String description() {
        return "one QoS 1 publisher (windowed) to F online persistent QoS 1 subscribers of one topic";
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
        long messages = s.fanoutMessages();
        long expected = messages * fan;
        Collector collector = new Collector(expected);
        List<LoadClient> clients = new ArrayList<>(ctx.persistentSessions(
                peer.port(), "bench-fan-", fan, i -> "bench/fan", QoS.AT_LEAST_ONCE, collector::listener, true));
        Histogram ackMicros = new Histogram(3_600_000_000L, 3);
        Publisher pub = new Publisher(
                0, QoS.AT_LEAST_ONCE, s.window(), s.payload(), messages, 0, seq -> "bench/fan", ackMicros);
        LoadClient pc = ctx.connect(peer.port(), "bench-pub-fan", true, pub).get();
        clients.add(pc);
        long deadline = System.nanoTime() + s.limit().toNanos();
        long start = System.nanoTime();
        pub.start(pc);
        boolean done = Context.awaitProgress(collector, deadline);
        long end = done ? collector.lastNanos() : System.nanoTime();
        Context.closeAll(clients);
        Map<String, Double> f = new LinkedHashMap<>();
        f.put(RATE, collector.check().distinct() / Math.max(1e-9, (end - start) / 1e9));
        f.put(OnlineScenario.P50, collector.latencyMicros().getValueAtPercentile(50) / 1000.0);
        f.put(OnlineScenario.P99, collector.latencyMicros().getValueAtPercentile(99) / 1000.0);
        f.put("subscribers", (double) fan);
        f.put("messages", (double) messages);
        SequenceSummary sum = SequenceSummary.of(collector, expected, !done);
        return new Result(
                name(), peer.name(), f, sum.text(), sum.clean(), done ? "" : "time limit hit", Probes.loadAverage());
    }
}
