package io.berth.bench;

import io.berth.bench.peer.ArtemisPeer;
import io.berth.bench.peer.BerthPeer;
import io.berth.bench.peer.HiveMqPeer;
import io.berth.bench.peer.MosquittoPeer;
import io.berth.bench.peer.Peer;
import io.berth.bench.peer.Probes;
import io.berth.bench.report.Report;
import io.berth.bench.scenario.Result;
import io.berth.bench.scenario.Scenario;
import io.berth.bench.scenario.Scenarios;
import io.berth.bench.scenario.Settings;
import io.berth.codec.MqttVersion;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code java -jar berth-bench.jar [--option value]...}: starts each peer, runs the scenarios against
 * all of them and writes the report. {@code --help} lists the scenarios, the peers and the options with
 * their defaults ({@link BenchOptions}).
 */
public final class BenchMain {
    static final List<String> JVM_OPTIONS = List.of("-Xms1g", "-Xmx2g", "-XX:+UseG1GC");

    /** Every peer by name, with what it is, in the order of a full run. */
    static final Map<String, String> PEERS = peers();

    static final String DEFAULT_PEERS = String.join(",", PEERS.keySet());

    private BenchMain() {}

    public static void main(String[] args) throws Exception {
        int code = run(args, System.out, System.err);
        if (code != 0) {
            System.exit(code);
        }
    }

    /** Runs berth-bench; 0 when it wrote the report (or printed the usage), 2 for a bad command line. */
    static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        if (BenchOptions.wantsHelp(args)) {
            BenchOptions.usage(out, Scenarios.all(), PEERS);
            return 0;
        }
        Map<String, String> o;
        Settings s;
        List<Scenario> scenarios;
        try {
            o = BenchOptions.parse(args);
            s = settings(o);
            scenarios = Scenarios.select(o.getOrDefault("scenarios", "all"));
            for (String name : o.getOrDefault("peers", DEFAULT_PEERS).split(",")) {
                if (!PEERS.containsKey(name)) {
                    throw new IllegalArgumentException(
                            "unknown peer '" + name + "'; known: " + String.join(", ", PEERS.keySet()));
                }
            }
        } catch (IllegalArgumentException e) {
            err.println("berth-bench: " + e.getMessage());
            return 2;
        }
        Path repo = Path.of(o.getOrDefault("repo", ".")).toAbsolutePath().normalize();
        List<String> extraBerthJvm =
                o.containsKey("berth-jvm") ? List.of(o.get("berth-jvm").split(" ")) : List.of();
        List<Peer> peers = new ArrayList<>();
        for (String name : o.getOrDefault("peers", DEFAULT_PEERS).split(",")) {
            peers.add(peer(name, repo, extraBerthJvm));
        }
        Path work = o.containsKey("work") ? Path.of(o.get("work")) : Files.createTempDirectory("berth-bench-");
        Files.createDirectories(work);
        out.println("berth-bench: data and broker logs in " + work + "; load " + Probes.loadAverage());
        String before = Probes.loadAverage();
        List<Result> results = new Bench(s, work, out).run(scenarios, peers);
        String after = Probes.loadAverage();
        String extra = o.containsKey("extra") ? Files.readString(Path.of(o.get("extra"))) : "";
        Path report = Path.of(o.getOrDefault("out", "docs/benchmarks.md"));
        Files.createDirectories(report.toAbsolutePath().getParent());
        String command = o.getOrDefault("command", "java -jar berth-bench.jar " + String.join(" ", args));
        new Report(report).write(command, before, after, s, peers, scenarios, results, extra);
        out.println("berth-bench: wrote " + report);
        return 0;
    }

    private static Map<String, String> peers() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("berth-fsync", "Berth, acknowledges after the fsync of its group commit (its default)");
        p.put("berth-os", "Berth, acknowledges after the write to the OS, not synced");
        p.put("berth-memory", "Berth with its in-memory store");
        p.put("mosquitto", "Mosquitto from /usr/sbin/mosquitto, persistence on (apt-get install mosquitto)");
        p.put("hivemq-ce", "HiveMQ CE embedded in a JVM of its own (build berth-bench-hivemq)");
        p.put(
                "artemis",
                "ActiveMQ Artemis embedded in a JVM of its own, journal synced before PUBACK "
                        + "(build berth-bench-artemis)");
        return java.util.Collections.unmodifiableMap(p);
    }

    private static Peer peer(String name, Path repo, List<String> extraBerthJvm) {
        Path berthJar = repo.resolve("berth-broker/target/berth-broker-0.1.0-SNAPSHOT.jar");
        Path cds = repo.resolve("scripts/cds-archive.sh");
        List<String> berthJvm = new ArrayList<>(JVM_OPTIONS);
        berthJvm.addAll(extraBerthJvm);
        return switch (name) {
            case "berth-fsync" -> new BerthPeer(berthJar, "fsync", berthJvm, cds);
            case "berth-os" -> new BerthPeer(berthJar, "os", berthJvm, cds);
            case "berth-memory" -> new BerthPeer(berthJar, "memory", berthJvm, cds);
            case "mosquitto" -> new MosquittoPeer(Path.of("/usr/sbin/mosquitto"));
            case "hivemq-ce" ->
                new HiveMqPeer(
                        repo.resolve("berth-bench-hivemq/target/berth-bench-hivemq-0.1.0-SNAPSHOT.jar"), JVM_OPTIONS);
            case "artemis" ->
                new ArtemisPeer(
                        repo.resolve("berth-bench-artemis/target/berth-bench-artemis-0.1.0-SNAPSHOT.jar"), JVM_OPTIONS);
            default ->
                throw new IllegalArgumentException(
                        "unknown peer '" + name + "'; known: " + String.join(", ", PEERS.keySet()));
        };
    }

    static Settings settings(Map<String, String> o) {
        Settings d = switch (o.getOrDefault("size", "standard")) {
            case "standard" -> Settings.standard();
            case "smoke" -> Settings.smoke();
            default -> throw new IllegalArgumentException("--size: standard or smoke, not '" + o.get("size") + "'");
        };
        MqttVersion version = switch (o.getOrDefault("mqtt", "3")) {
            case "3" -> MqttVersion.V3_1_1;
            case "5" -> MqttVersion.V5;
            default -> throw new IllegalArgumentException("--mqtt: 3 or 5, not '" + o.get("mqtt") + "'");
        };
        return new Settings(
                version,
                integer(o, "publishers", d.publishers()),
                integer(o, "window", d.window()),
                integer(o, "payload", d.payload()),
                integer(o, "online-messages", d.onlineMessages()),
                integer(o, "paced-seconds", d.pacedSeconds()),
                pacedFraction(o, d.pacedFraction()),
                integer(o, "offline-sessions", d.offlineSessions()),
                integer(o, "offline-messages", d.offlineMessages()),
                integer(o, "restart-sessions", d.restartSessions()),
                integer(o, "restart-messages", d.restartMessages()),
                integer(o, "idle-sessions", d.idleSessions()),
                integer(o, "fanout-subscribers", d.fanoutSubscribers()),
                integer(o, "fanout-messages", d.fanoutMessages()),
                atLeastZero(o, "warmup-messages", d.warmupMessages()),
                Duration.ofSeconds(integer(o, "limit-seconds", d.limit().toSeconds())),
                batchedWrites(o));
    }

    /** {@code --publisher-writes}: each (one write per message, the default) or batched (one per read). */
    private static boolean batchedWrites(Map<String, String> o) {
        return switch (o.getOrDefault("publisher-writes", "each")) {
            case "each" -> false;
            case "batched" -> true;
            default ->
                throw new IllegalArgumentException(
                        "--publisher-writes: each or batched, not '" + o.get("publisher-writes") + "'");
        };
    }

    /** {@code --paced-percent}: 1 to 100 % of the peer's own maximum, as a fraction. */
    private static double pacedFraction(Map<String, String> o, double fallback) {
        if (!o.containsKey("paced-percent")) {
            return fallback;
        }
        int percent = integer(o, "paced-percent", 0);
        if (percent < 1 || percent > 100) {
            throw new IllegalArgumentException("--paced-percent: 1 to 100, not '" + o.get("paced-percent") + "'");
        }
        return percent / 100.0;
    }

    private static int atLeastZero(Map<String, String> o, String key, long fallback) {
        int v = integer(o, key, fallback);
        if (v < 0) {
            throw new IllegalArgumentException("--" + key + ": 0 or more, not '" + o.get(key) + "'");
        }
        return v;
    }

    private static int integer(Map<String, String> o, String key, long fallback) {
        if (!o.containsKey(key)) {
            return (int) fallback;
        }
        try {
            return Integer.parseInt(o.get(key).replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + key + ": a whole number, not '" + o.get(key) + "'");
        }
    }
}
