package io.berth.bench.report;

import io.berth.bench.scenario.FillDrainScenario;
import io.berth.bench.scenario.IdleSessionsScenario;
import io.berth.bench.scenario.OnlineScenario;
import io.berth.bench.scenario.Result;
import java.util.List;
import java.util.Optional;

/** The targets of issue 5, against the best-durability Berth that ran. */
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
        StringBuilder md = new StringBuilder("## Targets (issue 5)\n\n");
        if (!b.equals("berth-fsync")) {
            md.append("**Berth with `fsync` durability did not run; the figures below are from `")
                    .append(b)
                    .append("`, which promises less.**\n\n");
        }
        md.append("| target | measured (").append(b).append(") | met |\n|---|---|---|\n");
        double rate = figure(results, "online-qos1", b, OnlineScenario.RATE);
        double mosq = figure(results, "online-qos1", "mosquitto", OnlineScenario.RATE);
        double hive = figure(results, "online-qos1", "hivemq-ce", OnlineScenario.RATE);
        row(md, "QoS 1 rate, persistent subscriber ≥ 1.0× Mosquitto", rate / mosq, "×", rate / mosq >= 1.0);
        row(md, "QoS 1 rate, persistent subscriber ≥ 3× HiveMQ CE", rate / hive, "×", rate / hive >= 3.0);
        double p99 = figure(results, "online-qos1-paced", b, OnlineScenario.P99);
        row(md, "p99 < 5 ms at half of the maximum rate", p99, " ms", p99 < 5);
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
        return md.append('\n').toString();
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
