package io.berth.broker.store.rocksdb;

import java.util.TreeSet;

/**
 * What the committer knows of one client's queue between batches. The counter row's head is
 * authoritative: every entry below it is gone, whether or not its row has been deleted yet (rows below
 * the head are reclaimed now and then with one range delete). At or above the head, an entry is present
 * unless its seq is in {@link #absent} (acknowledged out of order and deleted, or never written: a gap
 * left by an enqueue that failed or has not come yet). Below {@link #knownFrom} (the tail found at
 * open) the committer does not know which entries earlier runs deleted out of order and asks the
 * database.
 *
 * <p>Threading: owned by the committer thread.
 */
final class QueueState {
    /** Range-delete the rows below the head when it has moved this far since the last time. */
    static final long RECLAIM_EVERY = 1_024;

    QueueCounters counters;

    /** Seqs in [head, tail) without an entry; empty for most queues. */
    final TreeSet<Long> absent = new TreeSet<>();

    /** Below this seq, presence is read from the database. */
    final long knownFrom;

    /** The head at the last range delete of the rows below it. */
    long reclaimedHead;

    QueueState(QueueCounters counters, long knownFrom) {
        this.counters = counters;
        this.knownFrom = knownFrom;
        this.reclaimedHead = counters.headHint;
    }

    /** A queue nobody has written yet. */
    static QueueState empty() {
        return new QueueState(new QueueCounters(), 0);
    }

    /** The state of a queue found at open: presence below its tail is read from the database. */
    static QueueState recovered(QueueCounters counters) {
        QueueState s = new QueueState(counters, counters.tail);
        s.reclaimedHead = 0;
        return s;
    }
}
