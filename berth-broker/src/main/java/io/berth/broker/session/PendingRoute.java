package io.berth.broker.session;

import org.jspecify.annotations.Nullable;

/**
 * Counts the parts of a routed publish that have not committed yet (this shard's entries and retained
 * change, and each other shard's entries) and tells {@link Done} once, when the last one has, with
 * whether any queue refused the message and the first error.
 *
 * <p>Threading: owned by the publisher's shard; other shards reply through a task to it.
 */
final class PendingRoute {
    /** How a routed publish ended. Threading: called on the shard that asked. */
    @FunctionalInterface
    interface Done {
        void done(boolean rejected, @Nullable Throwable error);
    }

    private final Done done;
    /** One more than the parts expected until {@link #ready}: the route is still being built. */
    private int parts = 1;

    private boolean rejected;
    private @Nullable Throwable error;

    PendingRoute(Done done) {
        this.done = done;
    }

    /** One more part to wait for. */
    void expect() {
        assert parts > 0 : "expected after the route ended";
        parts++;
    }

    /** Every part is known: from now on the last {@link #part} ends the route. */
    void ready() {
        part(false, null);
    }

    /** One part committed (or failed with {@code failure}); {@code refused} when a queue refused it. */
    void part(boolean refused, @Nullable Throwable failure) {
        assert parts > 0 : "more parts than expected";
        rejected |= refused;
        if (failure != null && error == null) {
            error = failure;
        }
        if (--parts == 0) {
            done.done(rejected, error);
        }
    }
}
