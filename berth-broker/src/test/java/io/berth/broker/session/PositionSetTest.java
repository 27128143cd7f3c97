package io.berth.broker.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The sorted set of queue positions behaves as a {@link TreeSet} would, in and out of order. */
class PositionSetTest {
    @Test
    void inOrderAddsAndRemovalsFromTheFront_keepTheLowestFirst() {
        PositionSet set = new PositionSet();
        assertThat(set.isEmpty()).isTrue();
        for (long s = 10; s < 100; s++) {
            assertThat(set.add(s)).isTrue();
        }
        assertThat(set.add(50)).isFalse();
        assertThat(set.first()).isEqualTo(10);
        for (long s = 10; s < 99; s++) {
            assertThat(set.remove(s)).isTrue();
            assertThat(set.first()).isEqualTo(s + 1);
        }
        assertThat(set.size()).isEqualTo(1);
        assertThat(set.remove(99)).isTrue();
        assertThat(set.isEmpty()).isTrue();
        assertThat(set.remove(99)).isFalse();
    }

    @Test
    void removeBelow_dropsTheLowerPositionsOnly() {
        PositionSet set = new PositionSet();
        set.add(3);
        set.add(7);
        set.add(9);
        set.removeBelow(8);
        assertThat(set.size()).isEqualTo(1);
        assertThat(set.contains(7)).isFalse();
        assertThat(set.first()).isEqualTo(9);
        set.removeBelow(100);
        assertThat(set.isEmpty()).isTrue();
    }

    @Test
    void randomOperations_matchATreeSet() {
        Random random = new Random(11);
        PositionSet set = new PositionSet();
        TreeSet<Long> model = new TreeSet<>();
        for (int i = 0; i < 20_000; i++) {
            long seq = random.nextInt(300);
            switch (random.nextInt(4)) {
                case 0, 1 -> assertThat(set.add(seq)).isEqualTo(model.add(seq));
                case 2 -> assertThat(set.remove(seq)).isEqualTo(model.remove(seq));
                default -> {
                    if (random.nextInt(20) == 0) {
                        set.removeBelow(seq);
                        model.headSet(seq).clear();
                    }
                }
            }
            assertThat(set.size()).isEqualTo(model.size());
            assertThat(set.contains(seq)).isEqualTo(model.contains(seq));
            if (!model.isEmpty()) {
                assertThat(set.first()).isEqualTo(model.first());
            }
        }
    }
}
