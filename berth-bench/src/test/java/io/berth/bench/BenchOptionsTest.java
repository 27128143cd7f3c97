package io.berth.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.bench.scenario.Scenario;
import io.berth.bench.scenario.Scenarios;
import io.berth.bench.scenario.Settings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BenchOptionsTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) throws Exception {
        return BenchMain.run(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void help_listsEveryScenarioPeerAndOptionWithItsDefault() throws Exception {
        assertThat(run("--help")).isZero();
        // the right column wraps: read the text as one line
        String usage = out.toString(StandardCharsets.UTF_8).replaceAll("\\s+", " ");

        for (Scenario s : Scenarios.all()) {
            assertThat(usage).contains(" " + s.name() + " ");
        }
        for (String peer : BenchMain.PEERS.keySet()) {
            assertThat(usage).contains(" " + peer + " ");
        }
        for (BenchOptions.Option o : BenchOptions.ALL) {
            assertThat(usage).contains("--" + o.name() + " ", "[" + o.defaultText() + "]");
        }
        assertThat(usage)
                .contains(
                        "--online-messages N",
                        "[" + Settings.standard().onlineMessages() + " (smoke: "
                                + Settings.smoke().onlineMessages() + ")]")
                .contains("--peers a,b,...", "[" + String.join(",", BenchMain.PEERS.keySet()) + "]");
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void help_anywhere_printsUsage_andRunsNothing() throws Exception {
        assertThat(run("--size", "smoke", "-h")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("Usage:");
    }

    @Test
    void unknownOption_isRefused_namingTheKnownOnes() throws Exception {
        assertThat(run("--peer", "mosquitto")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("unknown option '--peer'", "--peers", "--scenarios", "see --help");
    }

    @Test
    void unknownPeerOrScenarioOrSize_isRefusedBeforeAnythingStarts() throws Exception {
        assertThat(run("--peers", "berth-fsync,rabbit")).isEqualTo(2);
        assertThat(run("--scenarios", "online-qos3")).isEqualTo(2);
        assertThat(run("--size", "huge")).isEqualTo(2);
        assertThat(run("--window", "ten")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("unknown peer 'rabbit'", "no scenario 'online-qos3'", "--size", "--window");
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void missingValue_isRefused() {
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--size"}))
                .hasMessageContaining("'--size' needs a value");
    }

    @Test
    void laterOption_winsOverEarlier() {
        Map<String, String> o = BenchOptions.parse(new String[] {"--peers", "mosquitto", "--peers", "berth-fsync"});
        assertThat(o).containsEntry("peers", "berth-fsync");
    }

    @Test
    void everySizedOption_setsTheSettingItsHelpShows() {
        for (BenchOptions.Option o : BenchOptions.ALL) {
            if (o.sized() != null) {
                Settings s = BenchMain.settings(Map.of("size", "smoke", o.name(), "1_234"));
                assertThat(o.sized().apply(s)).as(o.name()).hasToString("1234");
            }
        }
    }

    @Test
    void warmupMessages_defaultsBySize_andZeroRunsCold() {
        assertThat(BenchMain.settings(Map.of()).warmupMessages()).isEqualTo(300_000);
        assertThat(BenchMain.settings(Map.of("size", "smoke")).warmupMessages()).isEqualTo(500);
        Map<String, String> o = BenchOptions.parse(new String[] {"--warmup-messages", "1_500_000"});
        assertThat(BenchMain.settings(o).warmupMessages()).isEqualTo(1_500_000);
        assertThat(BenchMain.settings(BenchOptions.parse(new String[] {"--warmup-messages", "0"}))
                        .warmupMessages())
                .isZero();
    }

    @Test
    void pacedPercent_setsTheFractionOfTheMaximum_andOutOfRangeIsRefused() throws Exception {
        assertThat(BenchMain.settings(Map.of()).pacedFraction()).isEqualTo(0.5);
        assertThat(BenchMain.settings(BenchOptions.parse(new String[] {"--paced-percent", "25"}))
                        .pacedFraction())
                .isEqualTo(0.25);
        assertThat(run("--paced-percent", "0")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--paced-percent: 1 to 100, not '0'");
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void publisherWrites_eachByDefault_batchedOnRequest_andAnythingElseIsRefused() throws Exception {
        assertThat(BenchMain.settings(Map.of()).batchedWrites()).isFalse();
        assertThat(BenchMain.settings(BenchOptions.parse(new String[] {"--publisher-writes", "batched"}))
                        .batchedWrites())
                .isTrue();
        assertThat(BenchMain.settings(Map.of("publisher-writes", "batched", "mqtt", "5"))
                        .withVersion(io.berth.codec.MqttVersion.V5)
                        .batchedWrites())
                .isTrue();
        assertThat(run("--publisher-writes", "some")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--publisher-writes: each or batched, not 'some'");
    }

    @Test
    void negativeWarmupMessages_isRefusedBeforeAnythingStarts() throws Exception {
        assertThat(run("--warmup-messages", "-1")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--warmup-messages: 0 or more, not '-1'");
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void help_saysWhichScenariosWarmUpAndWhichRunCold() throws Exception {
        assertThat(run("--help")).isZero();
        String usage = out.toString(StandardCharsets.UTF_8).replaceAll("\\s+", " ");
        assertThat(usage)
                .contains("--warmup-messages N", "[300000 (smoke: 500)]")
                .contains("restart-clean, restart-kill and idle-sessions run cold");
    }
}
