package io.berth.bench.report;

import io.berth.bench.scenario.ClientQos1Scenario;
import io.berth.bench.scenario.FanOutScenario;
import io.berth.bench.scenario.FillDrainScenario;
import io.berth.bench.scenario.IdleSessionsScenario;
import io.berth.bench.scenario.OnlineScenario;
import io.berth.bench.scenario.Result;
import java.util.List;
import java.util.Optional;

/**
 * The targets of the open issues (11: the message path, 13: the cluster, 15: the client), against the
 * best-durability Berth that ran; a target whose scenario or peer did not run says "not measured".
 */
final class Targets {
    private static final List<String> BERTH_BY_DURABILITY = List.of("berth-fsync", "berth-os", "berth-memory");

    private Targets() {}

    static String section(List<Result> results) {
        Optional<String> berth = BERTH_BY_DURABILITY.stream()
                .filter(b -> results.stream()
                        .anyMatch(r -> r.peer().equals(b) && !r.figures().isEmpty()))
                .findFirst();
        if (berth.isEmpty()) {
            return "";
        }
        String b = berth.get();
        StringBuilder md = new StringBuilder("## Targets (issues 11, 13, 15)\n\n");
        if (!b.equals("berth-fsync")) {
            md.append("**Berth with `fsync` durability did not run; the figures below are from `")
                    .append(b)
                    .append("`, which promises less.**\n\n");
        }
        md.append("| target | measured (").append(b).append(") | met |\n|---|---|---|\n");
        online(md, results, b);
        durable(md, results, b);
        restartAndIdle(md, results, b);
        clientAndCluster(md, results, b);
        return md.append('\n').toString();
    }

    /** Issue 11: the online scenarios against Mosquitto, and the in-memory store's cost. */
    private static void online(StringBuilder md, List<Result> results, String b) {
        ratio(
                md,
                results,
                "online-qos1",
                OnlineScenario.RATE,
                b,
                "mosquitto",
                1.0,
                "online-qos1 rate ≥ 1.0× Mosquitto");
        double cpu = figure(results, "online-qos1", b, OnlineScenario.CPU);
        row(md, "online-qos1 broker CPU ≤ 15 µs/msg", cpu, " µs/msg", cpu <= 15);
        double mem = figure(results, "online-qos1", "berth-memory", OnlineScenario.CPU);
        row(md, "online-qos1 broker CPU with the memory store ≤ 10 µs/msg", mem, " µs/msg", mem <= 10);
        ratio(
                md,
                results,
                "online-qos1-v5",
                OnlineScenario.RATE,
                b,
                "mosquitto",
                1.0,
                "online-qos1-v5 rate ≥ 1.0× Mosquitto");
        ratio(md, results, "online-qos2", OnlineScenario.RATE, b, "mosquitto", 5.0, "online-qos2 rate ≥ 5× Mosquitto");
        String fixed = "online-qos1-" + OnlineScenario.FIXED_RATE;
        double p99 = figure(results, fixed, b, OnlineScenario.P99);
        row(
                md,
                "p99 ≤ 2 ms at a fixed " + String.format("%,d", OnlineScenario.FIXED_RATE) + " msg/s",
                p99,
                " ms",
                p99 <= 2);
        double half = figure(results, "online-qos1-paced", b, OnlineScenario.P99);
        double mosqHalf = figure(results, "online-qos1-paced", "mosquitto", OnlineScenario.P99);
        row(
                md,
                "p99 at a fraction of each one's maximum ≤ Mosquitto's (" + Result.format(mosqHalf) + " ms)",
                half,
                " ms",
                half <= mosqHalf);
    }

    /** Issue 11: queues of offline sessions and fan-out, against Mosquitto and Artemis. */
    private static void durable(StringBuilder md, List<Result> results, String b) {
        for (String what : List.of(FillDrainScenario.FILL, FillDrainScenario.DRAIN)) {
            ratio(
                    md,
                    results,
                    "offline-fill-drain",
                    what,
                    b,
                    "mosquitto",
                    1.0,
                    "offline " + what + " ≥ 1.0× Mosquitto");
        }
        ratio(
                md,
                results,
                "fan-out",
                FanOutScenario.RATE,
                b,
                "mosquitto",
                1.0,
                "fan-out deliveries/s ≥ 1.0× Mosquitto");
        ratio(md, results, "online-qos1", OnlineScenario.RATE, b, "artemis", 3.0, "online-qos1 rate ≥ 3× Artemis");
        for (String what : List.of(FillDrainScenario.FILL, FillDrainScenario.DRAIN)) {
            ratio(md, results, "offline-fill-drain", what, b, "artemis", 3.0, "offline " + what + " ≥ 3× Artemis");
        }
    }

    private static void restartAndIdle(StringBuilder md, List<Result> results, String b) {
        for (String mode : List.of("restart-clean", "restart-kill")) {
            double connect = figure(results, mode, b, FillDrainScenario.CONNECT);
            double queued = figure(results, mode, b, "queued");
            double own = figure(results, mode, b, FillDrainScenario.OWN_START);
            row(
                    md,
                    mode + ": CONNECT accepted < 1 s with 1 M queued (ran with " + Result.format(queued)
                            + "; process start included"
                            + (Double.isNaN(own)
                                    ? ""
                                    : ", of which the broker's own recovery " + Result.format(own) + " ms")
                            + ")",
                    connect,
                    " ms",
                    connect < 1000 && queued >= 1_000_000);
        }
        double heap = figure(results, "idle-sessions", b, IdleSessionsScenario.HEAP_MARGINAL);
        row(md, "heap per idle offline session ≤ 1 KB (marginal: the second K sessions)", heap, " B", heap <= 1024);
        double rss = figure(results, "idle-sessions", b, IdleSessionsScenario.RSS_MARGINAL);
        row(md, "RSS per idle offline session ≤ 2 KB (marginal: the second K sessions)", rss, " B", rss <= 2048);
    }

    /** Issue 15 (client libraries, measured on whichever broker ran client-qos1) and issue 13 (cluster). */
    private static void clientAndCluster(StringBuilder md, List<Result> results, String b) {
        results.stream()
                .filter(r -> r.scenario().equals("client-qos1") && !r.figures().isEmpty())
                .findFirst()
                .ifPresent(r -> {
                    double file = r.figure(ClientQos1Scenario.BERTH_FILE + " msg/s");
                    double memory = r.figure(ClientQos1Scenario.BERTH_MEMORY + " msg/s");
                    double hive = r.figure(ClientQos1Scenario.HIVEMQ + " msg/s");
                    double paho = r.figure(ClientQos1Scenario.PAHO_FILE + " msg/s");
                    row(
                            md,
                            "berth-client file store ≥ 1.0× the HiveMQ client (on " + r.peer() + ")",
                            file / hive,
                            "×",
                            file / hive >= 1.0);
                    row(
                            md,
                            "berth-client file store ≥ 5× Paho v3 file persistence",
                            file / paho,
                            "×",
                            file / paho >= 5.0);
                    row(
                            md,
                            "berth-client memory store ≥ 1.2× the HiveMQ client",
                            memory / hive,
                            "×",
                            memory / hive >= 1.2);
                });
        double cluster = figure(results, "cluster-qos1", b, OnlineScenario.RATE);
        double single = figure(results, "online-qos1", b, OnlineScenario.RATE);
        row(md, "cluster-qos1 rate ≥ 0.5× single-node online-qos1", cluster / single, "×", cluster / single >= 0.5);
    }

    private static void ratio(
            StringBuilder md,
            List<Result> results,
            String scenario,
            String figure,
            String b,
            String peer,
            double target,
            String label) {
        Optional<Result> ours = find(results, scenario, b);
        Optional<Result> theirs = find(results, scenario, peer);
        double ratio = figure(results, scenario, b, figure) / figure(results, scenario, peer, figure);
        if (Double.isNaN(ratio) || ours.isEmpty() || theirs.isEmpty()) {
            row(md, label, ratio, "×", ratio >= target);
        } else if (!rateHolds(ours.get())) {
            md.append("| ")
                    .append(label)
                    .append(" | ")
                    .append(Result.format(ratio))
                    .append("× (")
                    .append(b)
                    .append(": ")
                    .append(ours.get().checks())
                    .append(") | **no** |\n");
        } else if (!rateHolds(theirs.get())) {
            md.append("| ")
                    .append(label)
                    .append(" | ")
                    .append(Result.format(ratio))
                    .append("× (")
                    .append(peer)
                    .append("'s run not comparable: ")
                    .append(theirs.get().checks())
                    .append(") | – |\n");
        } else {
            row(md, label, ratio, "×", ratio >= target);
        }
    }

    /**
     * Whether a result's rates stand for what its peer does: every message arrived (in whatever order), or
     * the time limit ended a run that was still delivering (a rate over what it did in that time). A run
     * that lost messages or stopped delivering (a drain whose sessions were lost) gives no rate to compare.
     */
    static boolean rateHolds(Result r) {
        return r.checks().startsWith("lost 0,") || r.checks().startsWith("not delivered within the time limit");
    }

    private static Optional<Result> find(List<Result> results, String scenario, String peer) {
        return results.stream()
                .filter(r -> r.scenario().equals(scenario)
                        && r.peer().equals(peer)
                        && !r.figures().isEmpty())
                .findFirst();
    }

    private static void row(StringBuilder md, String target, double value, String unit, boolean met) {
        md.append("| ")
                .append(target)
                .append(" | ")
                .append(Double.isNaN(value) ? "not measured" : Result.format(value) + unit)
                .append(" | ")
                .append(Double.isNaN(value) ? "–" : met ? "yes" : "**no**")
                .append(" |\n");
    }

    private static double figure(List<Result> results, String scenario, String peer, String name) {
        return results.stream()
                .filter(r -> r.scenario().equals(scenario) && r.peer().equals(peer))
                .mapToDouble(r -> r.figure(name))
                .findFirst()
                .orElse(Double.NaN);
    }
}
