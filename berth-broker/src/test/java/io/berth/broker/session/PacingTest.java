package io.berth.broker.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Publishers' acknowledgements held while an online subscriber is far behind, let go in order. */
class PacingTest {
    private final List<Runnable> timers = new ArrayList<>();
    private final List<Long> timerDelays = new ArrayList<>();
    private final Pacing pacing = new Pacing((millis, task) -> {
        timerDelays.add(millis);
        timers.add(task);
    });
    private final List<String> released = new ArrayList<>();

    @Test
    void backlogged_onlyAboveTheMark() {
        assertThat(Pacing.backlogged(Pacing.HOLD_ABOVE)).isFalse();
        assertThat(Pacing.backlogged(Pacing.HOLD_ABOVE + 1)).isTrue();
    }

    @Test
    void heldReplies_goInOrder_whenTheBacklogIsDownToTheReleaseMark() {
        pacing.hold(() -> released.add("a"));
        pacing.hold(() -> released.add("b"));
        assertThat(pacing.isHolding()).isTrue();
        pacing.sent(Pacing.RELEASE_AT + 1);
        assertThat(released).isEmpty();
        pacing.sent(Pacing.RELEASE_AT);
        assertThat(released).containsExactly("a", "b");
        assertThat(pacing.isHolding()).isFalse();
        pacing.sent(0);
        assertThat(released).containsExactly("a", "b");
    }

    @Test
    void heldReplies_goAtTheLatestWhenTheTimerFires_evenIfTheSubscriberSendsNothing() {
        pacing.hold(() -> released.add("a"));
        pacing.hold(() -> released.add("b"));
        assertThat(timers).hasSize(1); // one timer per round of holding
        assertThat(timerDelays).containsExactly(Pacing.MAX_HOLD_MILLIS);
        timers.get(0).run();
        assertThat(released).containsExactly("a", "b");
    }

    @Test
    void aTimerOfAnEarlierRound_doesNotLetGoTheRepliesOfTheNextRoundEarly() {
        pacing.hold(() -> released.add("a"));
        pacing.sent(0);
        pacing.hold(() -> released.add("b"));
        timers.get(0).run(); // the first round's timer, late
        assertThat(released).containsExactly("a");
        timers.get(1).run();
        assertThat(released).containsExactly("a", "b");
    }

    @Test
    void releaseAll_letsEverythingGo_asWhenTheSessionGoesOffline() {
        pacing.hold(() -> released.add("a"));
        pacing.releaseAll();
        assertThat(released).containsExactly("a");
        pacing.releaseAll();
        assertThat(released).containsExactly("a");
    }
}
