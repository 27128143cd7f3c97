package io.berth.broker.store.rocksdb;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * What the committer remembers between batches: the queue state of every client that has any (one small
 * object per session, never per message; see {@link QueueState}), a bounded cache of recent message reference counts, and the
 * message id high-water mark. Each equals what is on disk; a batch works on copies and
 * {@link BatchBuilder#publish()} folds them in only after its write succeeded, so a failed write
 * leaves this state as the disk is.
 *
 * <p>Threading: owned by the committer thread (filled before it starts), except {@link #heads}, which any
 * thread reads.
 */
final class CommitterState {
    static final int REF_CACHE_SIZE = 65_536;

    final Map<String, QueueState> queues = new HashMap<>();

    /**
     * Each client's committed queue head, published after every write for readers on other threads: a read
     * never returns an entry below it (its row may still be there until the next range delete).
     */
    final ConcurrentMap<String, Long> heads = new ConcurrentHashMap<>();

    /**
     * Message id → reference count, for ids whose count is positive. Above {@link #refsKnownAbove} it is
     * exact (an id it lacks has no count); at or below, an id it lacks must be read.
     */
    final Map<Long, Long> refs = new LinkedHashMap<>(1024, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Long> eldest) {
            if (size() > REF_CACHE_SIZE) {
                refsKnownAbove = Math.max(refsKnownAbove, eldest.getKey());
                return true;
            }
            return false;
        }
    };

    /** Ids above this that {@link #refs} lacks have no reference count: the max id at open, or evicted. */
    long refsKnownAbove;

    /** Every message id ever stored (queued or retained) is at most this. */
    long maxMessageId;
}
