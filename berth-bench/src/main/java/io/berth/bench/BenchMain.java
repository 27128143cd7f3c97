package io.berth.bench;

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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code java -jar berth-bench.jar [--option value]...}: starts each peer, runs the scenarios against
 * all of them and writes the report. Options (defaults in brackets):
 * <pre>
 * --peers      berth-fsync,berth-os,berth-memory,mosquitto,hivemq-ce  [all of them]
 * --scenarios  comma-separated names or all                            [all]
 * --size       standard | smoke                                       [standard]
 * --out        the markdown page to write                             [docs/benchmarks.md]
 * --repo       the Berth checkout (for the jars)                      [.]
 * --work       data folders and broker logs                           [a new folder in /tmp]
 * --mqtt       3 | 5, protocol of the clients                         [3]
 * --online-messages N, --restart-messages N, --restart-sessions N, --idle-sessions N,
 * --fanout-subscribers N, --publishers N, --window N, --payload N, --limit-seconds N
 * --berth-jvm  extra JVM options for Berth (e.g. JFR), space-separated
 * --extra      a markdown file appended to the report (profiles, microbenchmarks)
 * --command    the command line to print in the report
 * </pre>
 */
public final class BenchMain {
    static final List<String> JVM_OPTIONS = List.of("-Xms1g", "-Xmx2g", "-XX:+UseG1GC");

    private BenchMain() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> o = options(args);
        Path repo = Path.of(o.getOrDefault("repo", ".")).toAbsolutePath().normalize();
        Settings s = settings(o);
        List<Scenario> scenarios = Scenarios.select(o.getOrDefault("scenarios", "all"));
        List<String> extraBerthJvm =
                o.containsKey("berth-jvm") ? List.of(o.get("berth-jvm").split(" ")) : List.of();
        List<Peer> peers = new ArrayList<>();
        for (String name : o.getOrDefault("peers", "berth-fsync,berth-os,berth-memory,mosquitto,hivemq-ce")
                .split(",")) {
            peers.add(peer(name, repo, extraBerthJvm));
        }
        Path work = o.containsKey("work") ? Path.of(o.get("work")) : Files.createTempDirectory("berth-bench-");
        Files.createDirectories(work);
        System.out.println("berth-bench: data and broker logs in " + work + "; load " + Probes.loadAverage());
        String before = Probes.loadAverage();
        List<Result> results = new Bench(s, work, System.out).run(scenarios, peers);
        String after = Probes.loadAverage();
        String extra = o.containsKey("extra") ? Files.readString(Path.of(o.get("extra"))) : "";
        Path out = Path.of(o.getOrDefault("out", "docs/benchmarks.md"));
        Files.createDirectories(out.toAbsolutePath().getParent());
        String command = o.getOrDefault("command", "java -jar berth-bench.jar " + String.join(" ", args));
        new Report(out).write(command, before, after, s, peers, scenarios, results, extra);
        System.out.println("berth-bench: wrote " + out);
    }

    private static Peer peer(String name, Path repo, List<String> extraBerthJvm) {
        Path berthJar = repo.resolve("berth-broker/target/berth-broker-0.1.0-SNAPSHOT.jar");
        List<String> berthJvm = new ArrayList<>(JVM_OPTIONS);
        berthJvm.addAll(extraBerthJvm);
        return switch (name) {
            case "berth-fsync" -> new BerthPeer(berthJar, "fsync", berthJvm);
            case "berth-os" -> new BerthPeer(berthJar, "os", berthJvm);
            case "berth-memory" -> new BerthPeer(berthJar, "memory", berthJvm);
            case "mosquitto" -> new MosquittoPeer(Path.of("/usr/sbin/mosquitto"));
            case "hivemq-ce" ->
                new HiveMqPeer(
                        repo.resolve("berth-bench-hivemq/target/berth-bench-hivemq-0.1.0-SNAPSHOT.jar"), JVM_OPTIONS);
            default ->
                throw new IllegalArgumentException("unknown peer '" + name
                        + "'; known: berth-fsync, berth-os, berth-memory, mosquitto, hivemq-ce");
        };
    }

    static Settings settings(Map<String, String> o) {
        Settings d = o.getOrDefault("size", "standard").equals("smoke") ? Settings.smoke() : Settings.standard();
        return new Settings(
                o.getOrDefault("mqtt", "3").equals("5") ? MqttVersion.V5 : MqttVersion.V3_1_1,
                integer(o, "publishers", d.publishers()),
                integer(o, "window", d.window()),
                integer(o, "payload", d.payload()),
                integer(o, "online-messages", d.onlineMessages()),
                integer(o, "paced-seconds", d.pacedSeconds()),
                d.pacedFraction(),
                integer(o, "offline-sessions", d.offlineSessions()),
                integer(o, "offline-messages", d.offlineMessages()),
                integer(o, "restart-sessions", d.restartSessions()),
                integer(o, "restart-messages", d.restartMessages()),
                integer(o, "idle-sessions", d.idleSessions()),
                integer(o, "fanout-subscribers", d.fanoutSubscribers()),
                integer(o, "fanout-messages", d.fanoutMessages()),
                Duration.ofSeconds(integer(o, "limit-seconds", d.limit().toSeconds())));
    }

    private static int integer(Map<String, String> o, String key, long fallback) {
        return o.containsKey(key) ? Integer.parseInt(o.get(key).replace("_", "")) : (int) fallback;
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> o = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --option value, got '" + args[i] + "'");
            }
            o.put(args[i].substring(2), args[++i]);
        }
        return o;
    }
}
