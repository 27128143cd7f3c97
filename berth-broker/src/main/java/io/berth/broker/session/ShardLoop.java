package io.berth.broker.session;

import io.netty.util.concurrent.EventExecutor;
import java.util.function.Consumer;

/**
 * An event loop that a shard runs on, as the transport gives it (ADR 9): the loop itself, which also
 * serves the connections of the shard's sessions, and how to run a task once at the end of the loop's
 * current iteration, after its I/O and its tasks.
 *
 * @param executor the loop
 * @param afterIteration runs a task at the end of the current iteration (called on the loop)
 */
public record ShardLoop(EventExecutor executor, Consumer<Runnable> afterIteration) {
    public ShardLoop {
        java.util.Objects.requireNonNull(executor);
        java.util.Objects.requireNonNull(afterIteration);
    }
}
