package io.berth.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.bench.scenario.Settings;
import org.junit.jupiter.api.Test;

class ReportWarmupTest {
    private static Settings withWarmup(long warmup) {
        return standard(warmup, false);
    }

    /** The standard sizes with {@code warmup} messages of warm-up and publishers writing as {@code batched}. */
    private static Settings standard(long warmup, boolean batched) {
        Settings d = Settings.standard();
        return new Settings(
                d.version(),
                d.publishers(),
                d.window(),
                d.payload(),
                d.onlineMessages(),
                d.pacedSeconds(),
                d.pacedFraction(),
                d.offlineSessions(),
                d.offlineMessages(),
                d.restartSessions(),
                d.restartMessages(),
                d.idleSessions(),
                d.fanoutSubscribers(),
                d.fanoutMessages(),
                warmup,
                d.limit(),
                batched);
    }

    @Test
    void load_saysHowThePublishersWrite() {
        Settings each = Settings.standard();
        assertThat(Report.load(each))
                .contains("4 publishers with 64 unacknowledged publishes each")
                .contains("writing each publish to the socket as soon as an acknowledgement lets it go");
        Settings batched = standard(each.warmupMessages(), true);
        assertThat(Report.load(batched))
                .contains("in one write when the read ends")
                .doesNotContain("writing each publish");
    }

    @Test
    void warmup_isStatedWithItsCount_andTheColdScenariosNamed() {
        assertThat(Report.warmup(withWarmup(300_000)))
                .contains("after a warm-up of 300,000 messages on the same broker process")
                .contains("fan-out: 300,000 deliveries")
                .contains("A warm-up has the scenario's time limit")
                .contains("restart-clean, restart-kill and idle-sessions ran cold");
    }

    @Test
    void noWarmup_saysEveryScenarioRanCold() {
        assertThat(Report.warmup(withWarmup(0))).contains("Every scenario ran cold", "--warmup-messages 0");
    }
}
