package io.berth.broker.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.broker.session.ShardLoop;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class EventLoopsTest {
    private static final int HOPS = 50;

    // the cut is a race: fifty closes found it about once when the machine was busy
    @RepeatedTest(50)
    void close_runsTheWorkTheLoopsHandEachOther_beforeTheyStop() {
        EventLoops loops = new EventLoops(2);
        List<ShardLoop> shards = loops.shardLoops();
        AtomicInteger hops = new AtomicInteger();

        // a chain of hand-offs between the two loops, each made at the end of an iteration as the shards do
        hop(shards, 0, HOPS, hops);
        loops.close();

        assertThat(hops).hasValue(HOPS);
        assertThat(shards).allMatch(s -> s.executor().isTerminated());
    }

    @Test
    void close_ofLoopsThatRanNothing_stopsThem() {
        EventLoops loops = new EventLoops(2);

        loops.close();

        assertThat(loops.shardLoops()).allMatch(s -> s.executor().isTerminated());
    }

    private static void hop(List<ShardLoop> shards, int from, int left, AtomicInteger hops) {
        ShardLoop loop = shards.get(from);
        loop.executor().execute(() -> {
            hops.incrementAndGet();
            if (left > 1) {
                loop.afterIteration().accept(() -> hop(shards, 1 - from, left - 1, hops));
            }
        });
    }
}
