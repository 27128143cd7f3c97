package io.berth.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.bench.scenario.FillDrainScenario;
import io.berth.bench.scenario.OnlineScenario;
import io.berth.bench.scenario.Result;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TargetsTest {
    private static Result result(String scenario, String peer, Map<String, Double> figures) {
        return new Result(scenario, peer, figures, "lost 0, duplicates 0, out of order 0", true, "", "0 0 0");
    }

    @Test
    void eachTarget_isJudgedAgainstThePeerItNames_andWhatDidNotRunIsSaidSo() {
        List<Result> results = List.of(
                result("online-qos1", "berth-fsync", Map.of(OnlineScenario.RATE, 120_000.0, OnlineScenario.CPU, 9.0)),
                result("online-qos1", "mosquitto", Map.of(OnlineScenario.RATE, 100_000.0, OnlineScenario.CPU, 9.0)),
                result("online-qos1", "artemis", Map.of(OnlineScenario.RATE, 50_000.0)),
                result(
                        "offline-fill-drain",
                        "berth-fsync",
                        Map.of(FillDrainScenario.FILL, 80_000.0, FillDrainScenario.DRAIN, 300_000.0)),
                result(
                        "offline-fill-drain",
                        "mosquitto",
                        Map.of(FillDrainScenario.FILL, 100_000.0, FillDrainScenario.DRAIN, 250_000.0)),
                result("online-qos1-" + OnlineScenario.FIXED_RATE, "berth-fsync", Map.of(OnlineScenario.P99, 1.5)));

        String md = Targets.section(results);

        assertThat(md)
                .startsWith("## Targets (issues 11, 13, 15)")
                .contains("| online-qos1 rate ≥ 1.0× Mosquitto | 1.20× | yes |")
                .contains("| online-qos1 broker CPU ≤ 15 µs/msg | 9 µs/msg | yes |")
                .contains("| online-qos1 rate ≥ 3× Artemis | 2.40× | **no** |")
                .contains("| offline fill msg/s ≥ 1.0× Mosquitto | 0.80× | **no** |")
                .contains("| offline drain msg/s ≥ 1.0× Mosquitto | 1.20× | yes |")
                .contains("| p99 ≤ 2 ms at a fixed 2,000 msg/s | 1.50 ms | yes |")
                .contains("| fan-out deliveries/s ≥ 1.0× Mosquitto | not measured | – |")
                .contains("| cluster-qos1 rate ≥ 0.5× single-node online-qos1 | not measured | – |");
    }

    @Test
    void aPeerRunThatLostMessages_isNotComparable_andABerthRunThatLostMessages_neverMeetsATarget() {
        List<Result> results = List.of(
                new Result(
                        "online-qos1",
                        "berth-fsync",
                        Map.of(OnlineScenario.RATE, 120_000.0),
                        "lost 3, duplicates 0, out of order 0",
                        false,
                        "",
                        "0 0 0"),
                result("online-qos1", "mosquitto", Map.of(OnlineScenario.RATE, 100_000.0)),
                new Result(
                        "offline-fill-drain",
                        "berth-fsync",
                        Map.of(FillDrainScenario.FILL, 80_000.0, FillDrainScenario.DRAIN, 300_000.0),
                        "lost 0, duplicates 0, out of order 0",
                        true,
                        "",
                        "0 0 0"),
                new Result(
                        "offline-fill-drain",
                        "mosquitto",
                        Map.of(FillDrainScenario.FILL, 60_000.0, FillDrainScenario.DRAIN, 15.0),
                        "lost 200000, duplicates 0, out of order 0",
                        false,
                        "not drained",
                        "0 0 0"),
                new Result(
                        "online-qos2",
                        "berth-fsync",
                        Map.of(OnlineScenario.RATE, 40_000.0),
                        "lost 0, duplicates 0, out of order 0",
                        true,
                        "",
                        "0 0 0"),
                new Result(
                        "online-qos2",
                        "mosquitto",
                        Map.of(OnlineScenario.RATE, 4_000.0),
                        "not delivered within the time limit 19177, duplicates 0, out of order 0",
                        false,
                        "time limit hit",
                        "0 0 0"));

        String md = Targets.section(results);

        assertThat(md)
                .contains("| online-qos1 rate ≥ 1.0× Mosquitto | 1.20× (berth-fsync: lost 3, duplicates 0, out of"
                        + " order 0) | **no** |")
                .contains("| offline fill msg/s ≥ 1.0× Mosquitto | 1.33× (mosquitto's run not comparable: lost 200000,"
                        + " duplicates 0, out of order 0) | – |")
                .contains("| online-qos2 rate ≥ 5× Mosquitto | 10× | yes |");
    }
}
