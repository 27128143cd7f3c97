package io.berth.broker.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;

/** The tasks a shard's tick collects for other shards: one hand-off per target and tick, in order. */
class ShardOutboxTest {
    /** The executor of each of three shards: records what it is handed, runs it when the test says. */
    private final List<List<Runnable>> handed = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());

    private int endOfTickAsked;
    private final ShardOutbox outbox = new ShardOutbox(3, () -> endOfTickAsked++, i -> executor(i));

    private Executor executor(int shard) {
        return handed.get(shard)::add;
    }

    @Test
    void tasksForOneShard_goAsOneHandOff_inTheOrderAdded() {
        List<String> ran = new ArrayList<>();
        outbox.add(2, () -> ran.add("a"));
        outbox.add(2, () -> ran.add("b"));
        outbox.add(1, () -> ran.add("c"));
        outbox.add(2, () -> ran.add("d"));
        assertThat(handed).allMatch(List::isEmpty); // nothing leaves before the end of the tick

        outbox.handOver();

        assertThat(handed.get(0)).isEmpty();
        assertThat(handed.get(1)).hasSize(1);
        assertThat(handed.get(2)).hasSize(1);
        handed.get(2).get(0).run();
        assertThat(ran).containsExactly("a", "b", "d");
        handed.get(1).get(0).run();
        assertThat(ran).containsExactly("a", "b", "d", "c");
    }

    @Test
    void endOfTick_isAskedOncePerTargetAndTick() {
        outbox.add(1, () -> {});
        outbox.add(1, () -> {});
        assertThat(endOfTickAsked).isEqualTo(1);
        outbox.add(0, () -> {});
        assertThat(endOfTickAsked).isEqualTo(2);

        outbox.handOver();
        outbox.add(1, () -> {});
        assertThat(endOfTickAsked).isEqualTo(3); // a new tick
    }

    @Test
    void handOver_emptiesTheBoxes() {
        outbox.add(1, () -> {});
        outbox.handOver();
        outbox.handOver();
        assertThat(handed.get(1)).hasSize(1);
    }

    @Test
    void aFailingTask_doesNotStopTheTasksAfterIt() {
        List<String> ran = new ArrayList<>();
        outbox.add(0, () -> {
            throw new IllegalStateException("bug in a task");
        });
        outbox.add(0, () -> ran.add("next"));
        outbox.handOver();

        handed.get(0).get(0).run();

        assertThat(ran).containsExactly("next");
    }
}
