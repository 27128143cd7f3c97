package io.berth.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.bench.peer.EmbeddedBerthPeer;
import io.berth.bench.peer.Peer;
import io.berth.bench.report.Report;
import io.berth.bench.scenario.IdleSessionsScenario;
import io.berth.bench.scenario.Result;
import io.berth.bench.scenario.Scenario;
import io.berth.bench.scenario.Scenarios;
import io.berth.bench.scenario.Settings;
import io.berth.broker.config.Durability;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs every scenario of the harness at smoke size against an embedded Berth and writes the report, so
 * the harness keeps working. No timing is asserted: only that each scenario ran and that messages
 * arrived complete, once and in order where the broker keeps them.
 */
class BenchSmokeTest {
    @TempDir
    Path dir;

    @Test
    void everyScenario_onEmbeddedBerth_runsAndChecksMessages() throws Exception {
        // cluster-qos1 has a test of its own below, with sizes for three nodes in this JVM
        List<Scenario> scenarios = Scenarios.all().stream()
                .filter(sc -> !sc.name().equals("cluster-qos1"))
                .toList();
        List<Peer> peers = List.of(new EmbeddedBerthPeer(Durability.MEMORY));
        List<Result> results = new Bench(Settings.smoke(), dir.resolve("work"), new PrintStream(System.out, true))
                .run(scenarios, peers);

        assertThat(results).hasSize(scenarios.size());
        for (Result r : results) {
            assertThat(r.figures()).as(r.line()).isNotEmpty();
            boolean restart = r.scenario().startsWith("restart-");
            if (!restart) {
                // The memory store keeps nothing over a restart; every other scenario must be exact.
                assertThat(r.clean()).as(r.line()).isTrue();
                assertThat(r.note()).as(r.line()).doesNotContain("time limit", "failed");
            }
        }

        Result idle = results.stream()
                .filter(r -> r.scenario().equals("idle-sessions"))
                .findFirst()
                .orElseThrow();
        // the embedded broker's heap is this JVM's: only that both figures are there, not their size
        assertThat(idle.figures())
                .containsKeys(IdleSessionsScenario.HEAP, IdleSessionsScenario.HEAP_MARGINAL)
                .containsKeys(IdleSessionsScenario.RSS, IdleSessionsScenario.RSS_MARGINAL);

        Path page = dir.resolve("docs/benchmarks.md");
        Files.createDirectories(page.getParent());
        new Report(page).write("smoke", "0", "0", Settings.smoke(), peers, scenarios, results, "");
        assertThat(Files.readString(page))
                .contains("## online-qos1", "## fan-out", "lost 0")
                .contains("after a warm-up of 500 messages on the same broker process");
        assertThat(page.resolveSibling("bench/online-qos1.png")).exists();
    }

    @Test
    void clusterQos1_onThreeEmbeddedNodes_deliversEveryMessageAcrossNodes() throws Exception {
        Settings base = Settings.smoke();
        // three nodes, their Raft servers and the load generator in one JVM: few messages, a long limit
        Settings small = new Settings(
                base.version(),
                2,
                base.window(),
                base.payload(),
                400,
                base.pacedSeconds(),
                base.pacedFraction(),
                base.offlineSessions(),
                base.offlineMessages(),
                base.restartSessions(),
                base.restartMessages(),
                base.idleSessions(),
                base.fanoutSubscribers(),
                base.fanoutMessages(),
                200,
                java.time.Duration.ofSeconds(120),
                false);
        List<Scenario> scenarios = Scenarios.select("cluster-qos1");
        List<Result> results = new Bench(small, dir.resolve("work"), new PrintStream(System.out, true))
                .run(scenarios, List.of(new EmbeddedBerthPeer(Durability.MEMORY)));

        assertThat(results).hasSize(1);
        Result r = results.get(0);
        assertThat(r.figure("messages")).as(r.line()).isEqualTo(400);
        assertThat(r.clean()).as(r.line()).isTrue();
        assertThat(r.note()).as(r.line()).doesNotContain("time limit", "failed");
        assertThat(dir.resolve("work/cluster-qos1-berth-embedded-memory-n3")).isDirectory();
    }
}
