package io.berth.broker.session;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tasks one shard's tick collects for the other shards. At the end of the tick each target shard
 * gets them as one task, which runs them in the order they were added: work crosses shards once per
 * tick of the sending shard, not once per message (ADR 9).
 *
 * <p>Threading: owned by its shard's thread; the tasks run on their target shard's thread.
 */
final class ShardOutbox {
    private static final Logger LOG = LoggerFactory.getLogger(ShardOutbox.class);

    /** Tasks for other shards collected during this tick, by shard index; null where none. */
    private final List<Runnable>[] boxes;

    private final Runnable endOfTickNeeded;
    private final IntFunction<Executor> executorOf;

    /**
     * @param shards how many shards there are
     * @param endOfTickNeeded asks for {@link #handOver} at the end of the owning shard's tick
     * @param executorOf the executor of the shard with an index
     */
    ShardOutbox(int shards, Runnable endOfTickNeeded, IntFunction<Executor> executorOf) {
        @SuppressWarnings("unchecked")
        List<Runnable>[] empty = new List[shards];
        this.boxes = empty;
        this.endOfTickNeeded = endOfTickNeeded;
        this.executorOf = executorOf;
    }

    /** Adds {@code task} to what shard {@code target} gets at the end of this tick. */
    void add(int target, Runnable task) {
        List<Runnable> box = boxes[target];
        if (box == null) {
            box = new ArrayList<>();
            boxes[target] = box;
            endOfTickNeeded.run();
        }
        box.add(task);
    }

    /** Hands each target shard what this tick collected for it, as one task; empties the boxes. */
    void handOver() {
        for (int i = 0; i < boxes.length; i++) {
            List<Runnable> tasks = boxes[i];
            if (tasks != null) {
                boxes[i] = null;
                executorOf.apply(i).execute(() -> runAll(tasks));
            }
        }
    }

    private static void runAll(List<Runnable> tasks) {
        for (Runnable task : tasks) {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.warn("a task from another shard failed", e);
            }
        }
    }
}
