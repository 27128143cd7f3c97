package io.berth.broker.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The decision of {@link MajorityWatch} on a controlled clock, checked by hand. */
class MajorityWatchTest {
    private long now;
    private boolean inTouch;
    private final List<String> said = new ArrayList<>();
    private final MajorityWatch watch =
            new MajorityWatch(1_000, () -> inTouch, () -> now, new MajorityWatch.Reaction() {
                @Override
                public void cutOff() {
                    said.add("cut off");
                }

                @Override
                public void back() {
                    said.add("back");
                }
            });

    private void at(long millis) {
        now = TimeUnit.MILLISECONDS.toNanos(millis);
        watch.check();
    }

    @Test
    void neverInTouch_isNotCutOff_soThatConnectsWaitForTheFirstLeader() {
        at(0);
        at(60_000);
        assertThat(watch.cutOff()).isFalse();
        assertThat(said).isEmpty();
    }

    @Test
    void outOfTouchForTheTimeout_isCutOffOnce_andBackAsSoonAsInTouch() {
        inTouch = true;
        at(0);
        inTouch = false;
        at(100);
        at(1_099);
        assertThat(watch.cutOff()).isFalse();
        at(1_100);
        at(5_000);
        assertThat(watch.cutOff()).isTrue();
        assertThat(said).containsExactly("cut off");
        inTouch = true;
        at(5_001);
        assertThat(watch.cutOff()).isFalse();
        assertThat(said).containsExactly("cut off", "back");
    }

    @Test
    void shortLossesOfTouch_doNotAddUp() {
        inTouch = true;
        at(0);
        for (int i = 0; i < 10; i++) {
            inTouch = false;
            at(i * 1_000L + 1);
            at(i * 1_000L + 900);
            inTouch = true;
            at(i * 1_000L + 950);
        }
        assertThat(said).isEmpty();
    }
}
