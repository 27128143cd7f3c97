package io.berth.broker.session;

import io.berth.broker.store.QueuedMessage;
import java.util.List;

/**
 * A contiguous range of queue positions {@code [first, end)} whose messages are held in memory, so that
 * the pump sends them without reading the store. A position in the range whose message is gone
 * (acknowledged, dropped, or its write failed) holds null. The messages are references to the shared
 * {@link io.berth.broker.store.StoredMessage}: holding one costs a slot, not a copy. Every byte held is
 * taken from the shard's {@link HeldBudget} and given back when the position leaves the range.
 *
 * <p>Threading: owned by the session's shard.
 */
final class HeldRange {
    private static final QueuedMessage[] NONE = new QueuedMessage[0];

    private final HeldBudget budget;
    private final int maxEntries;
    private final long maxBytes;
    /** Indexed by {@code seq & (length - 1)}; the length is a power of two, or 0 when nothing is held. */
    private QueuedMessage[] slots = NONE;

    private long first;
    private long end;
    private long bytes;

    HeldRange(HeldBudget budget, int maxEntries, long maxBytes) {
        this.budget = budget;
        this.maxEntries = maxEntries;
        this.maxBytes = maxBytes;
    }

    boolean holds(long seq) {
        return seq >= first && seq < end;
    }

    /** The message at {@code seq}, which must be {@linkplain #holds held}; null when it is gone. */
    QueuedMessage get(long seq) {
        assert holds(seq) : seq + " not in [" + first + ", " + end + ")";
        return slots[index(seq)];
    }

    boolean isEmpty() {
        return first == end;
    }

    long first() {
        return first;
    }

    long end() {
        return end;
    }

    long bytes() {
        return bytes;
    }

    /**
     * Holds {@code q} at the end of the range. Only the next position may be added (or any position to
     * an empty range), and only within the session's limits and the shard's budget; false when it is not
     * held, in which case it is read from the store when its turn comes.
     */
    boolean append(QueuedMessage q) {
        long seq = q.entry().seq();
        if (!isEmpty() && seq != end) {
            return false;
        }
        int size = q.message().sizeBytes();
        if (end - first >= maxEntries || bytes + size > maxBytes || !budget.take(size)) {
            return false;
        }
        if (isEmpty()) {
            first = seq;
            end = seq;
        }
        ensureCapacity(end - first + 1);
        slots[index(seq)] = q;
        end = seq + 1;
        bytes += size;
        return true;
    }

    /**
     * Holds what a store read of {@code [from, to)} returned, in order; positions of the range it did not
     * return are gone. The range must be empty: a read fills it only then.
     */
    void fill(long from, long to, List<QueuedMessage> read) {
        assert isEmpty() : "filled while holding [" + first + ", " + end + ")";
        if (from >= to) {
            return;
        }
        ensureCapacity(to - from);
        first = from;
        end = to;
        for (QueuedMessage q : read) {
            long seq = q.entry().seq();
            if (seq < from || seq >= to) {
                continue;
            }
            int size = q.message().sizeBytes();
            budget.force(size);
            bytes += size;
            slots[index(seq)] = q;
        }
    }

    /** The message at {@code seq} is gone (acknowledged before it was sent, dropped, not stored). */
    void remove(long seq) {
        if (!holds(seq)) {
            return;
        }
        int i = index(seq);
        QueuedMessage q = slots[i];
        if (q != null) {
            slots[i] = null;
            release(q);
        }
    }

    /** Lets go of every position below {@code seq}; an empty range keeps its array (see {@link #clear}). */
    void dropBelow(long seq) {
        if (seq <= first) {
            return;
        }
        if (seq >= end) {
            // everything goes, but the array stays: the range fills again while the session is online
            seq = end;
        }
        for (long s = first; s < seq; s++) {
            int i = index(s);
            QueuedMessage q = slots[i];
            if (q != null) {
                slots[i] = null;
                release(q);
            }
        }
        first = seq;
    }

    /** Lets go of everything; the array too, so an offline session holds nothing. */
    void clear() {
        for (long s = first; s < end; s++) {
            QueuedMessage q = slots[index(s)];
            if (q != null) {
                release(q);
            }
        }
        slots = NONE;
        first = 0;
        end = 0;
        assert bytes == 0 : "bytes left after clear: " + bytes;
    }

    private void release(QueuedMessage q) {
        int size = q.message().sizeBytes();
        bytes -= size;
        budget.release(size);
    }

    private int index(long seq) {
        return (int) (seq & (slots.length - 1));
    }

    private void ensureCapacity(long needed) {
        if (needed <= slots.length) {
            return;
        }
        int capacity = Math.max(16, slots.length);
        while (capacity < needed) {
            capacity <<= 1;
        }
        QueuedMessage[] grown = new QueuedMessage[capacity];
        for (long s = first; s < end; s++) {
            grown[(int) (s & (capacity - 1))] = slots[index(s)];
        }
        slots = grown;
    }
}
