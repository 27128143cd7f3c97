package io.berth.broker.store.rocksdb;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the committer remembers between batches: the counters of every client that has any (one small
 * object per session, never per message), a bounded cache of recent message reference counts, and the
 * message id high-water mark. Each equals what is on disk; a batch works on copies and
 * {@link BatchBuilder#publish()} folds them in only after its write succeeded, so a failed write
 * leaves this state as the disk is.
 *
 * <p>Threading: owned by the committer thread (filled before it starts).
 */
final class CommitterState {
  static final int REF_CACHE_SIZE = 65_536;

  final Map<String, QueueCounters> counters = new HashMap<>();

  /** Message id → reference count, for ids whose count is positive; absent says nothing. */
  final Map<Long, Long> refs =
      new LinkedHashMap<>(1024, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Long> eldest) {
          return size() > REF_CACHE_SIZE;
        }
      };

  /** Every message id ever stored (queued or retained) is at most this. */
  long maxMessageId;
}
