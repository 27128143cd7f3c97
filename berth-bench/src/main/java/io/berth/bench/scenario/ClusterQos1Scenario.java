package io.berth.bench.scenario;

import io.berth.bench.client.Collector;
import io.berth.bench.client.LoadClient;
import io.berth.bench.client.Publisher;
import io.berth.bench.peer.BerthCluster;
import io.berth.bench.peer.Peer;
import io.berth.bench.peer.Probes;
import io.berth.codec.QoS;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * online-qos1 on a three-node Berth cluster (one Raft group, issue 13): the peer's single broker is
 * stopped and three nodes like it start on 127.0.0.1 ({@link BerthCluster}); the publishers connect to
 * {@code n1} and {@code n2} in turn and the persistent subscriber to {@code n3}, so that every message
 * crosses nodes (through the subscriber's inbox, ADR 13) and every PUBACK waits for a majority. QoS 1,
 * the settings' publishers, window and payload. An unmeasured warm-up ({@link Warmup}: the same shape,
 * client ids and topics of its own, its subscriber's session discarded afterwards) comes first: the
 * nodes' JIT, not the broker, would be measured otherwise. Its rounds go on (up to {@link #MORE_ROUNDS}
 * more) while the cluster's CPU per message falls by more than {@link #STILL_WARMING} from one round to
 * the next: at a tenth of the single node's rate, three JVMs were still compiling (a third of their CPU)
 * through a measured phase that followed the single node's warm-up count (ADR 15 addendum). Broker CPU is the sum over
 * the three processes, and each node's share is a figure of its own.
 */
public final class ClusterQos1Scenario implements Scenario {
    static final String NAME = "cluster-qos1";
    /** Nodes of the cluster. */
    static final int NODES = 3;
    /** The rate divided by online-qos1's on the same peer in the same run (issue 13's target: ≥ 0.5). */
    public static final String OF_SINGLE = "× online-qos1";

    /** How long a CONNECT may wait (for the group's first leader, at most). */
    private static final long CONNECT_SECONDS = 60;

    /** Client id prefix of the subscriber (its single session is {@code <prefix><round>0}). */
    private static final String SUBSCRIBER = "bench-csub-";

    private static final QoS QOS = QoS.AT_LEAST_ONCE;

    /** Warm-up rounds beyond {@link Warmup#ROUNDS} while the cluster's CPU per message still falls. */
    private static final int MORE_ROUNDS = 4;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "online-qos1 on a three-node Berth cluster (processes on this machine, one Raft group): publishers"
                + " on nodes n1 and n2, the persistent subscriber on n3, so every message crosses nodes and every"
                + " PUBACK means committed by a majority. Broker CPU is summed over the three nodes; "
                + OF_SINGLE + " is the rate over the single node's online-qos1 rate of the same run";
    }

    @Override
    public String headline() {
        return OnlineScenario.RATE;
    }

    @Override
    public boolean higherIsBetter() {
        return true;
    }

    @Override
    public Result run(Peer peer, Context ctx) throws Exception {
        String why = BerthCluster.unsupported(peer);
        if (why != null) {
            return Result.failed(name(), peer.name(), "not applicable: " + why, Probes.loadAverage());
        }
        peer.stop();
        try (BerthCluster cluster = BerthCluster.start(peer, peer.dataDir(), NODES)) {
            return measure(peer, cluster, ctx);
        }
    }

    private Result measure(Peer peer, BerthCluster cluster, Context ctx) throws Exception {
        Settings s = ctx.settings();
        // Warm-up (Warmup), as fast as it goes, on client ids and topics of its own: not measured. Three
        // JVMs on the machine compile for much longer than one, at a tenth of its rate: rounds go on while
        // the cluster's CPU per message still falls (the compilers at work), as the note shows.
        String warmNote = "";
        List<String> warmCpu = new ArrayList<>();
        double previous = Double.NaN;
        for (int i = 0; s.warmupMessages() > 0 && i < Warmup.ROUNDS + MORE_ROUNDS; i++) {
            String wn = Warmup.name(i);
            double[] before = cluster.cpuSeconds();
            Round w = round(ctx, cluster, wn, Warmup.share(s.warmupMessages(), Math.min(i, Warmup.ROUNDS - 1)));
            double perMessage = sum(cluster.cpuSeconds()) - sum(before);
            perMessage = perMessage * 1e6 / Math.max(1, w.collector.check().distinct());
            warmCpu.add(String.format("%.0f", perMessage));
            warmNote = Warmup.join(warmNote, Warmup.note(w.collector, w.total, w.finished));
            ctx.discard(cluster.nodes().get(NODES - 1).port(), SUBSCRIBER + wn, 1);
            if (!w.finished || (i >= Warmup.ROUNDS - 1 && !Warmup.stillWarming(previous, perMessage))) {
                break;
            }
            previous = perMessage;
        }
        warmNote = Warmup.join(warmNote, "warm-up rounds' CPU µs/msg: " + String.join(", ", warmCpu));
        double[] cpuBefore = cluster.cpuSeconds();
        Round r = round(ctx, cluster, "cluster", s.onlineMessages());
        double[] cpuAfter = cluster.cpuSeconds();
        long delivered = r.collector.check().distinct();
        double seconds = Math.max(1e-9, (r.end - r.start) / 1e9);
        Histogram lat = r.collector.latencyMicros();
        Map<String, Double> f = new LinkedHashMap<>();
        double rate = delivered / seconds;
        f.put(OnlineScenario.RATE, rate);
        Result single = ctx.earlier("online-qos1", peer.name());
        f.put(OF_SINGLE, single == null ? Double.NaN : rate / single.figure(OnlineScenario.RATE));
        f.put(OnlineScenario.P50, lat.getValueAtPercentile(50) / 1000.0);
        f.put(OnlineScenario.P99, lat.getValueAtPercentile(99) / 1000.0);
        f.put(OnlineScenario.P999, lat.getValueAtPercentile(99.9) / 1000.0);
        f.put(OnlineScenario.MAX, lat.getMaxValue() / 1000.0);
        f.put(OnlineScenario.ACK_P99, r.ackMicros.getValueAtPercentile(99) / 1000.0);
        double cpu = 0;
        Map<String, Double> perNode = new LinkedHashMap<>();
        for (int i = 0; i < NODES; i++) {
            double used = cpuAfter[i] - cpuBefore[i];
            cpu += used;
            perNode.put("n" + (i + 1) + " CPU µs/msg", used * 1e6 / Math.max(1, delivered));
        }
        f.put(OnlineScenario.CPU, cpu * 1e6 / Math.max(1, delivered));
        f.putAll(perNode);
        f.put("messages", (double) r.total);
        SequenceSummary sum = SequenceSummary.of(r.collector, r.total, !r.finished);
        String note = Warmup.join(
                Warmup.join(warmNote, r.finished ? "" : "time limit hit"), "publishers on n1, n2; subscriber on n3");
        return new Result(name(), peer.name(), f, sum.text(), sum.clean(), note, Probes.loadAverage());
    }

    private static double sum(double[] values) {
        double total = 0;
        for (double v : values) {
            total += v;
        }
        return total;
    }

    private record Round(
            long total, Collector collector, Histogram ackMicros, boolean finished, long start, long end) {}

    /**
     * Publishers on n1, n2, n1, ... to a persistent subscriber on n3 ({@code bench/<name>/+}). A publisher's
     * CONNACK comes after its node applied the claim of its session, so after the subscription too: the
     * first publish already finds the subscriber.
     */
    private static Round round(Context ctx, BerthCluster cluster, String name, long wanted) throws Exception {
        Settings s = ctx.settings();
        List<Peer> nodes = cluster.nodes();
        long perPublisher = wanted / s.publishers();
        long total = perPublisher * s.publishers();
        Collector collector = new Collector(total);
        List<LoadClient> clients = new ArrayList<>(ctx.persistentSessions(
                nodes.get(NODES - 1).port(),
                SUBSCRIBER + name,
                1,
                i -> "bench/" + name + "/+",
                QOS,
                collector::listener,
                true));
        Histogram ackMicros = new Histogram(3_600_000_000L, 3);
        List<Publisher> publishers = new ArrayList<>();
        List<LoadClient> pubClients = new ArrayList<>();
        for (int p = 0; p < s.publishers(); p++) {
            String topic = "bench/" + name + "/" + p;
            Publisher pub = new Publisher(
                    p, QOS, s.window(), s.payload(), perPublisher, 0, seq -> topic, ackMicros, s.batchedWrites());
            publishers.add(pub);
            int port = nodes.get(p % (NODES - 1)).port();
            pubClients.add(
                    ctx.connect(port, "bench-cpub-" + name + p, true, pub).get(CONNECT_SECONDS, TimeUnit.SECONDS));
        }
        clients.addAll(pubClients);
        long deadline = System.nanoTime() + s.limit().toNanos();
        long start = System.nanoTime();
        boolean finished = Context.publishAll(publishers, pubClients, collector, deadline);
        long end = finished ? collector.lastNanos() : System.nanoTime();
        Context.closeAll(clients);
        return new Round(total, collector, ackMicros, finished, start, end);
    }
}
