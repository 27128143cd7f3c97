package io.berth.broker.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.broker.store.QueueEntry;
import io.berth.broker.store.QueuedMessage;
import io.berth.broker.store.StoredMessage;
import io.berth.codec.MqttProperties;
import io.berth.codec.QoS;
import java.util.List;
import org.junit.jupiter.api.Test;

class HeldRangeTest {
    private final HeldBudget budget = new HeldBudget(1_000);

    /** A message of {@code size} bytes (payload plus the one-character topic) at {@code seq}. */
    static QueuedMessage at(long seq, int size) {
        StoredMessage m = new StoredMessage(
                seq + 100, "t", new byte[size - 1], QoS.AT_LEAST_ONCE, false, MqttProperties.EMPTY, 0, "p");
        return new QueuedMessage(new QueueEntry(seq, m.id(), QoS.AT_LEAST_ONCE, false, List.of()), m);
    }

    @Test
    void append_contiguousPositions_heldInOrderAndCounted() {
        HeldRange r = new HeldRange(budget, 100, 1_000);
        for (long s = 5; s < 40; s++) {
            assertThat(r.append(at(s, 10))).isTrue();
        }
        assertThat(r.first()).isEqualTo(5);
        assertThat(r.end()).isEqualTo(40);
        assertThat(r.get(5).entry().seq()).isEqualTo(5);
        assertThat(r.get(39).entry().seq()).isEqualTo(39);
        assertThat(r.holds(40)).isFalse();
        assertThat(r.holds(4)).isFalse();
        assertThat(budget.used()).isEqualTo(350);
    }

    @Test
    void append_gapInPositions_refusedUntilEmpty() {
        HeldRange r = new HeldRange(budget, 100, 1_000);
        r.append(at(1, 10));
        assertThat(r.append(at(3, 10))).isFalse();
        r.dropBelow(2);
        assertThat(r.isEmpty()).isTrue();
        assertThat(r.append(at(3, 10))).isTrue();
        assertThat(r.first()).isEqualTo(3);
    }

    @Test
    void append_overSessionLimitOrBudget_refusedAndNothingTaken() {
        HeldRange r = new HeldRange(budget, 2, 1_000);
        assertThat(r.append(at(0, 10))).isTrue();
        assertThat(r.append(at(1, 10))).isTrue();
        assertThat(r.append(at(2, 10))).isFalse();

        HeldRange bytesLimited = new HeldRange(budget, 100, 25);
        assertThat(bytesLimited.append(at(0, 20))).isTrue();
        assertThat(bytesLimited.append(at(1, 10))).isFalse();

        HeldRange other = new HeldRange(budget, 100, 1_000);
        assertThat(other.append(at(0, 961))).isFalse();
        assertThat(budget.used()).isEqualTo(40);
    }

    @Test
    void removeAndDropBelow_giveBackTheBudget() {
        HeldRange r = new HeldRange(budget, 100, 1_000);
        for (long s = 0; s < 10; s++) {
            r.append(at(s, 10));
        }
        r.remove(3);
        assertThat(r.get(3)).isNull();
        assertThat(r.holds(3)).isTrue();
        assertThat(budget.used()).isEqualTo(90);
        r.dropBelow(5);
        assertThat(r.first()).isEqualTo(5);
        assertThat(budget.used()).isEqualTo(50);
        r.clear();
        assertThat(budget.used()).isZero();
        assertThat(r.isEmpty()).isTrue();
    }

    @Test
    void growth_keepsEveryPositionAcrossTheRingWrap() {
        HeldRange r = new HeldRange(new HeldBudget(1 << 20), 1_000, 1 << 20);
        for (long s = 0; s < 12; s++) {
            r.append(at(s, 2));
        }
        r.dropBelow(10); // the ring's start is now in the middle of its array
        for (long s = 12; s < 200; s++) {
            assertThat(r.append(at(s, 2))).isTrue();
        }
        for (long s = 10; s < 200; s++) {
            assertThat(r.get(s).entry().seq()).isEqualTo(s);
        }
    }

    @Test
    void fill_readWithGaps_missingPositionsAreGone() {
        HeldRange r = new HeldRange(budget, 100, 1_000);
        r.fill(10, 15, List.of(at(10, 10), at(12, 10), at(14, 10)));
        assertThat(r.first()).isEqualTo(10);
        assertThat(r.end()).isEqualTo(15);
        assertThat(r.get(11)).isNull();
        assertThat(r.get(12).entry().seq()).isEqualTo(12);
        assertThat(budget.used()).isEqualTo(30);
    }
}
