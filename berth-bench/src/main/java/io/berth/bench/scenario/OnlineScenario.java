package io.berth.bench.scenario;

import io.berth.bench.client.Collector;
import io.berth.bench.client.LoadClient;
import io.berth.bench.client.Publisher;
import io.berth.bench.peer.Peer;
import io.berth.bench.peer.Probes;
import io.berth.codec.MqttVersion;
import io.berth.codec.QoS;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.jspecify.annotations.Nullable;

/**
 * Scenario 1: N publishers, pipelined (a window of unacknowledged publishes each), to one online
 * subscriber with a persistent session ({@code cleanSession=0}) on {@code bench/online/+}. As fast as
 * acknowledgements allow, or paced at a fraction of the maximum that the unpaced run of the same QoS
 * measured on the same peer. A warm-up of {@link Settings#warmupMessages()} comes first on the same broker
 * ({@link Warmup}): as fast as it goes, same QoS, publishers, window and payload, on {@code bench/warm/+}
 * and {@code bench/warm2/+}, each round with a subscriber session of its own that is discarded afterwards.
 * A paced scenario's second round is paced as its measured phase is, with as many messages: at 2,000 msg/s
 * after two unpaced rounds, Berth's C2 compiler was still compiling (0.2-0.6 of a core) while measured,
 * p99 3.73 ms at 144 µs CPU/msg against 2.37 ms at 99 µs after a paced round (same build, same machine).
 * More paced rounds follow (up to {@link #MORE_PACED_ROUNDS}) until the broker's CPU per message falls by
 * no more than {@link Warmup#STILL_WARMING} from one to the next; the note lists them.
 */
public final class OnlineScenario implements Scenario {
    public static final String RATE = "rate msg/s";
    public static final String P50 = "p50 ms";
    public static final String P99 = "p99 ms";
    public static final String P999 = "p99.9 ms";
    public static final String MAX = "max ms";
    public static final String ACK_P99 = "ack p99 ms";
    /** Broker CPU time (user + system, all its threads) per delivered message. */
    public static final String CPU = "broker CPU µs/msg";

    /**
     * Paced warm-up rounds beyond the first while the broker's CPU per message still falls by more than
     * {@link Warmup#STILL_WARMING} from one to the next: at one message per wake-up a JVM meets the paths of
     * an idle loop late (in one run at 2,000 msg/s, 40 % of Berth's CPU in the measured phase was its C2
     * compiler after one paced round).
     */
    private static final int MORE_PACED_ROUNDS = 3;

    /** The rate of the fixed-rate paced scenario (issue 11: p99 at 2,000 msg/s), msg/s. */
    public static final int FIXED_RATE = 2_000;

    private final QoS qos;
    private final boolean paced;
    private final int fixedRate;
    private final @Nullable MqttVersion version;

    /** @param version the protocol of this scenario's clients, or null for the settings' */
    public OnlineScenario(QoS qos, boolean paced, @Nullable MqttVersion version) {
        this(qos, paced, 0, version);
    }

    private OnlineScenario(QoS qos, boolean paced, int fixedRate, @Nullable MqttVersion version) {
        this.qos = qos;
        this.paced = paced;
        this.fixedRate = fixedRate;
        this.version = version;
    }

    /** Publishers paced at {@code rate} msg/s, whatever the peer's maximum. */
    public static OnlineScenario fixedRate(QoS qos, int rate) {
        return new OnlineScenario(qos, true, rate, null);
    }

    @Override
    public String name() {
        return unpacedName() + (fixedRate > 0 ? "-" + fixedRate : paced ? "-paced" : "");
    }

    private String unpacedName() {
        return "online-qos" + qos.value() + (version == MqttVersion.V5 ? "-v5" : "");
    }

    @Override
    public String description() {
        String what = fixedRate > 0
                ? String.format(
                        "QoS %d publishers paced at a fixed %,d msg/s, one persistent subscriber; latency publish to"
                                + " delivery",
                        qos.value(), fixedRate)
                : paced
                        ? "QoS " + qos.value() + " publishers paced at a fraction of the peer's own maximum rate (from "
                                + unpacedName() + "), one persistent subscriber; latency publish to delivery"
                        : "N publishers with a window of unacknowledged QoS " + qos.value()
                                + " publishes each, as fast as acknowledgements come, to one online persistent subscriber. Rate ="
                                + " messages delivered to the subscriber per second, first publish to last delivery; when a broker"
                                + " acknowledges publishes faster than it delivers, a backlog builds and shows in the latency";
        what += paced
                ? "; after a warm-up on the same broker, not counted: a round unpaced, then rounds paced as"
                        + " measured until the broker's CPU per message settles (two to four)"
                : "; after a warm-up of the same shape on the same broker, not counted";
        return version == MqttVersion.V5 ? what + " (MQTT 5.0 clients)" : what;
    }

    @Override
    public String headline() {
        return paced ? P99 : RATE;
    }

    @Override
    public boolean higherIsBetter() {
        return !paced;
    }

    @Override
    public Result run(Peer peer, Context parent) throws Exception {
        Context ctx = version == null ? parent : parent.with(parent.settings().withVersion(version));
        Settings s = ctx.settings();
        int port = peer.port();
        double rate = 0;
        long total = s.onlineMessages();
        String note = "";
        if (fixedRate > 0) {
            rate = fixedRate;
            total = Math.max(s.publishers(), (long) (rate * s.pacedSeconds()));
            note = String.format("paced at %,d msg/s", fixedRate);
        } else if (paced) {
            Result max = ctx.earlier(unpacedName(), peer.name());
            if (max == null || !(max.figure(RATE) > 0)) {
                return Result.failed(name(), peer.name(), "needs " + unpacedName() + " first", Probes.loadAverage());
            }
            rate = max.figure(RATE) * s.pacedFraction();
            total = Math.max(s.publishers(), (long) (rate * s.pacedSeconds()));
            note = String.format("paced at %,.0f msg/s (%.0f%% of its maximum)", rate, s.pacedFraction() * 100);
        }
        long warmup = s.warmupMessages();
        List<String> pacedCpu = new ArrayList<>();
        double previous = Double.NaN;
        for (int i = 0; warmup > 0 && i < Warmup.ROUNDS + (rate > 0 ? MORE_PACED_ROUNDS : 0); i++) {
            String wn = Warmup.name(i);
            // a paced scenario's last rounds run as the measured phase will: a JIT that compiled the path
            // at full speed only compiled the paths of an idle loop (one message per wake-up) while measured
            boolean asMeasured = rate > 0 && i >= Warmup.ROUNDS - 1;
            Round w = asMeasured
                    ? round(ctx, peer, wn, total, rate, Warmup.deadline(s))
                    : round(ctx, peer, wn, Warmup.share(warmup, i), 0, Warmup.deadline(s));
            note = Warmup.join(note, Warmup.note(w.collector, w.total, w.finished));
            ctx.discard(port, subscriberId(wn), 1);
            if (asMeasured) {
                double perMessage =
                        w.cpuSeconds * 1e6 / Math.max(1, w.collector.check().distinct());
                pacedCpu.add(String.format("%.0f", perMessage));
                if (!w.finished || (pacedCpu.size() > 1 && !Warmup.stillWarming(previous, perMessage))) {
                    break;
                }
                previous = perMessage;
            }
        }
        if (!pacedCpu.isEmpty()) {
            note = Warmup.join(note, "paced warm-up rounds' CPU µs/msg: " + String.join(", ", pacedCpu));
        }
        Round r = round(
                ctx, peer, "online", total, rate, System.nanoTime() + s.limit().toNanos());
        double cpu = r.cpuSeconds;
        total = r.total;
        if (!r.finished) {
            note = Warmup.join(note, "time limit hit");
        }
        Collector collector = r.collector;
        Histogram ackMicros = r.ackMicros;
        long delivered = collector.check().distinct();
        double seconds = Math.max(1e-9, (r.end - r.start) / 1e9);
        Histogram lat = collector.latencyMicros();
        Map<String, Double> f = new LinkedHashMap<>();
        f.put(RATE, delivered / seconds);
        f.put(P50, lat.getValueAtPercentile(50) / 1000.0);
        f.put(P99, lat.getValueAtPercentile(99) / 1000.0);
        f.put(P999, lat.getValueAtPercentile(99.9) / 1000.0);
        f.put(MAX, lat.getMaxValue() / 1000.0);
        f.put(ACK_P99, ackMicros.getValueAtPercentile(99) / 1000.0);
        f.put(CPU, cpu * 1e6 / Math.max(1, delivered));
        f.put("messages", (double) total);
        SequenceSummary sum = SequenceSummary.of(collector, total, !r.finished);
        return new Result(name(), peer.name(), f, sum.text(), sum.clean(), note, Probes.loadAverage());
    }

    /**
     * One round; {@code cpuSeconds} is the broker's CPU time from the first publish to the end (the last
     * delivery or the time limit), connections set up and closed outside it.
     */
    private record Round(
            long total,
            Collector collector,
            Histogram ackMicros,
            boolean finished,
            long start,
            long end,
            double cpuSeconds) {}

    /** Client id of the persistent subscriber of round {@code name} (its session number 0 appended). */
    private static String subscriberId(String name) {
        return "bench-sub-" + name;
    }

    /** One run of publishers to a persistent subscriber on {@code bench/<name>/+}. */
    private Round round(Context ctx, Peer peer, String name, long wanted, double rate, long deadline) throws Exception {
        Settings s = ctx.settings();
        int port = peer.port();
        long perPublisher = wanted / s.publishers();
        long total = perPublisher * s.publishers();
        Collector collector = new Collector(total);
        List<LoadClient> clients = new ArrayList<>(ctx.persistentSessions(
                port, subscriberId(name), 1, i -> "bench/" + name + "/+", qos, collector::listener, true));
        Histogram ackMicros = new Histogram(3_600_000_000L, 3);
        List<Publisher> publishers = new ArrayList<>();
        List<LoadClient> pubClients = new ArrayList<>();
        for (int p = 0; p < s.publishers(); p++) {
            String topic = "bench/" + name + "/" + p;
            Publisher pub = new Publisher(
                    p,
                    qos,
                    s.window(),
                    s.payload(),
                    perPublisher,
                    rate / s.publishers(),
                    seq -> topic,
                    ackMicros,
                    s.batchedWrites());
            publishers.add(pub);
            pubClients.add(ctx.connect(port, "bench-pub-" + name + p, true, pub).get());
        }
        clients.addAll(pubClients);
        double cpuBefore = Probes.cpuSeconds(peer.pid());
        long start = System.nanoTime();
        boolean finished = Context.publishAll(publishers, pubClients, collector, deadline);
        long end = finished ? collector.lastNanos() : System.nanoTime();
        double cpu = Probes.cpuSeconds(peer.pid()) - cpuBefore;
        Context.closeAll(clients);
        return new Round(total, collector, ackMicros, finished, start, end, cpu);
    }
}
