package io.berth.broker.session;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One inbound QoS 2 PUBLISH from its arrival until its PUBREL: whether its message and packet id have
 * committed (ADR 2), and what waits for that (a resent PUBLISH's PUBREC, a PUBREL that came early).
 * Those waiting run in the order they came, when the commit ends.
 *
 * <p>Threading: owned by the session's shard.
 */
final class InboundExchange {
    /** An exchange whose PUBLISH committed before this run (recovered from the store). */
    static final InboundExchange COMMITTED = committed();

    private boolean settled;
    private @Nullable Throwable error;
    /** What waits for the commit; null when nothing does. */
    private @Nullable List<Runnable> waiting;

    private static InboundExchange committed() {
        InboundExchange e = new InboundExchange();
        e.settled = true;
        return e;
    }

    /** Runs {@code task} once the PUBLISH committed or failed: now when it has. */
    void whenSettled(Runnable task) {
        if (settled) {
            task.run();
            return;
        }
        if (waiting == null) {
            waiting = new ArrayList<>(2);
        }
        waiting.add(task);
    }

    /** The PUBLISH committed ({@code failure} null) or failed; runs what waited. */
    void settle(@Nullable Throwable failure) {
        assert !settled : "settled twice";
        settled = true;
        error = failure;
        List<Runnable> tasks = waiting;
        waiting = null;
        if (tasks != null) {
            for (Runnable t : tasks) {
                t.run();
            }
        }
    }

    boolean isSettled() {
        return settled;
    }

    /** Why the commit failed; null when it did not (or has not ended). */
    @Nullable
    Throwable error() {
        return error;
    }
}
