package io.berth.broker.session;

/**
 * How many bytes of queued messages one shard may hold in memory for its online sessions, so that
 * delivery need not read back what was just written (see {@link HeldRange}). Each shard has its own
 * share of the broker-wide budget, so taking from it needs no shared counter.
 *
 * <p>Threading: owned by its shard's thread.
 */
final class HeldBudget {
    /** Broker-wide default: an eighth of the heap, at most 256 MiB. */
    static long defaultTotal() {
        return Math.min(256L << 20, Runtime.getRuntime().maxMemory() / 8);
    }

    private final long limit;
    private long used;

    HeldBudget(long limit) {
        this.limit = limit;
    }

    /** Takes {@code bytes} if they fit; false (and nothing taken) otherwise. */
    boolean take(long bytes) {
        if (used + bytes > limit) {
            return false;
        }
        used += bytes;
        return true;
    }

    /** Takes {@code bytes} even past the limit (what a store read already brought in). */
    void force(long bytes) {
        used += bytes;
    }

    void release(long bytes) {
        used -= bytes;
        assert used >= 0 : "released more than taken: " + used;
    }

    long used() {
        return used;
    }

    boolean exhausted() {
        return used >= limit;
    }
}
