package io.berth.bench.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ProbesTest {
    @Test
    void theCpuLine_addsUpTheMachinesTime_andKeepsTheStolenTicks() {
        // user nice system idle iowait irq softirq steal guest guest_nice
        long[] ticks = Probes.parseCpuLine("cpu  2546581 54 494485 1397299 58064 0 102694 61101 7 0");
        assertThat(ticks).containsExactly(2546581L + 54 + 494485 + 1397299 + 58064 + 102694 + 61101, 61101L);
    }

    @Test
    void steal_isTheStolenShareOfTheTicksBetweenTwoReadings() {
        assertThat(Probes.steal(new long[] {1_000, 10}, new long[] {1_400, 110}))
                .isEqualTo("steal 25 %");
        assertThat(Probes.steal(new long[] {1_000, 10}, new long[] {1_000, 10})).isEqualTo("steal n/a");
    }

    @Test
    void aLineThatIsNotTheCpuLine_isRefused() {
        assertThatThrownBy(() -> Probes.parseCpuLine("cpu0 1 2 3 4 5 6 7 8"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theLoadAverage_isFollowedByTheStealSinceTheCallBefore() {
        Probes.loadAverage();
        assertThat(Probes.loadAverage()).matches("[0-9.]+ [0-9.]+ [0-9.]+, steal (\\d+ %|n/a)");
    }
}
