package io.berth.broker.store.rocksdb;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;
import org.rocksdb.WriteBatch;

/**
 * Turns the ops of one group commit into one {@link WriteBatch}. Besides the plain puts and deletes it
 * keeps, in the same batch, the derived state exact: each client's counter row, each message's
 * reference count (the message is written when its count leaves 0 and deleted with its last
 * reference), and the message id high-water mark. What the batch changes is tracked in overlays, so
 * that later ops of the same batch see earlier ones; what it does not know yet it takes from the
 * committer's {@link QueueState} or, failing that, reads from the committed database (the committer is
 * its only writer).
 *
 * <p>A queue's head is authoritative (see {@link QueueState}): a dequeue at the head only moves the
 * head, over every entry that is gone; its row stays until a range delete reclaims the rows below the
 * head. A dequeue above the head deletes its rows. A dequeue that describes its entry (size and message
 * id) reads nothing.
 *
 * <p>Threading: used by the committer thread only, for one batch.
 */
final class BatchBuilder {
    /** A queue entry as the batch knows it. */
    private record Slot(long messageId, int size) {}

    private static final Slot ABSENT = new Slot(-1, 0);

    /** Present, but not read: the caller described it. */
    private static final Slot PRESENT = new Slot(-2, 0);

    /** What the batch does to one client. */
    private static final class ClientChange {
        final QueueState committed;
        final byte[] prefix;
        QueueCounters counters;
        final TreeMap<Long, Slot> queue = new TreeMap<>();
        long reclaimedHead;
        boolean wiped;
        boolean dirty;

        /**
         * True once the batch has left a slot without an entry that may end up at or above the head (a gap,
         * a dequeue out of order, a lowered head); a dequeue at the head leaves its slot below it.
         */
        boolean holes;

        ClientChange(QueueState committed, byte[] prefix) {
            this.committed = committed;
            this.prefix = prefix;
            this.counters = committed.counters.copy();
            this.reclaimedHead = committed.reclaimedHead;
        }
    }

    private final RocksDB db;
    private final Handles handles;
    private final CommitterState state;
    private final WriteBatch batch;
    private final Map<String, ClientChange> clients = new HashMap<>();
    private final RefBatch refs;
    private long maxMessageId;

    BatchBuilder(RocksDB db, Handles handles, CommitterState state, WriteBatch batch) {
        this.db = db;
        this.handles = handles;
        this.state = state;
        this.batch = batch;
        this.maxMessageId = state.maxMessageId;
        this.refs = new RefBatch(db, handles, state, batch);
    }

    /** Counts the enqueues of each new message; call for every op of the batch before {@link #apply}. */
    void plan(Op op) {
        if (op instanceof Op.Enqueue e) {
            refs.plan(e.messageId());
        }
    }

    void apply(Op op) throws RocksDBException {
        if (op instanceof Op.Put p) {
            batch.put(handles.get(p.family()), p.key(), p.value());
            maxMessageId = Math.max(maxMessageId, p.messageId());
        } else if (op instanceof Op.Delete d) {
            batch.delete(handles.get(d.family()), d.key());
        } else if (op instanceof Op.DeleteRange d) {
            batch.deleteRange(handles.get(d.family()), d.begin(), d.end());
        } else if (op instanceof Op.Enqueue e) {
            enqueue(e);
        } else if (op instanceof Op.Dequeue d) {
            dequeue(d);
        } else if (op instanceof Op.PutInflight f) {
            ClientChange c = client(f.clientId(), f.prefix());
            if (lookup(c, f.seq(), false) != null) {
                batch.put(handles.get(Family.INFLIGHT), Keys.withSeq(f.prefix(), f.seq()), f.value());
            }
        } else if (op instanceof Op.DeleteSession d) {
            deleteSession(d);
        } else {
            throw new IllegalArgumentException("unknown op " + op);
        }
    }

    private void enqueue(Op.Enqueue e) throws RocksDBException {
        ClientChange c = client(e.clientId(), e.prefix());
        QueueCounters n = c.counters;
        long seq = e.seq();
        if (seq < n.headHint) {
            lowerHead(c, seq);
        } else if (seq >= n.tail) {
            if (n.count == 0) {
                n.headHint = seq;
            } else {
                for (long gap = n.tail; gap < seq; gap++) {
                    c.queue.putIfAbsent(gap, ABSENT);
                }
                c.holes |= n.tail < seq;
            }
            n.tail = seq + 1;
        } else {
            Slot old = lookup(c, seq, true);
            if (old != null) {
                refs.release(old.messageId());
                n.count--;
                n.bytes -= old.size();
            }
        }
        boolean inline = refs.inline(e.messageId());
        byte[] value = inline ? Values.inline(e.value(), e.message()) : e.value();
        batch.put(handles.get(Family.QUEUE), Keys.withSeq(e.prefix(), seq), value);
        c.queue.put(seq, new Slot(e.messageId(), e.size()));
        n.count++;
        n.bytes += e.size();
        c.dirty = true;
        advanceHead(c);
        if (!inline) {
            refs.ref(e.messageId(), e.message());
        }
        maxMessageId = Math.max(maxMessageId, e.messageId());
    }

    /**
     * An enqueue below the head (its commit came after the head moved over its gap): the head goes back to
     * it, and the rows between, all gone, are deleted so that they stay gone.
     */
    private void lowerHead(ClientChange c, long seq) throws RocksDBException {
        long old = c.counters.headHint;
        if (seq + 1 < old) {
            deleteRows(c.prefix, seq + 1, old);
        }
        for (long s = seq + 1; s < old; s++) {
            c.queue.put(s, ABSENT);
        }
        c.holes = true;
        batch.delete(handles.get(Family.INFLIGHT), Keys.withSeq(c.prefix, seq));
        c.counters.headHint = seq;
        c.reclaimedHead = Math.min(c.reclaimedHead, seq);
    }

    private void dequeue(Op.Dequeue d) throws RocksDBException {
        ClientChange c = client(d.clientId(), d.prefix());
        boolean described = d.size() >= 0 && d.seq() >= c.committed.knownFrom;
        Slot old = lookup(c, d.seq(), !described);
        if (old == null) {
            return;
        }
        long messageId = old == PRESENT ? d.messageId() : old.messageId();
        int size = old == PRESENT ? d.size() : old.size();
        c.queue.put(d.seq(), ABSENT);
        QueueCounters n = c.counters;
        n.count--;
        n.bytes -= size;
        c.dirty = true;
        if (d.seq() == n.headHint) {
            advanceHead(c);
        } else {
            c.holes = true;
            byte[] key = Keys.withSeq(d.prefix(), d.seq());
            batch.delete(handles.get(Family.QUEUE), key);
            batch.delete(handles.get(Family.INFLIGHT), key);
        }
        refs.release(messageId);
    }

    /** Moves the head over every seq that holds no entry, up to the first present one or the tail. */
    private void advanceHead(ClientChange c) throws RocksDBException {
        QueueCounters n = c.counters;
        QueueState q = c.committed;
        while (n.headHint < n.tail) {
            long h = n.headHint;
            Slot s = c.queue.get(h);
            if (s != null) {
                if (s != ABSENT) {
                    return;
                }
                n.headHint++;
            } else if (c.wiped || h >= q.counters.tail) {
                Long next = c.queue.ceilingKey(h);
                n.headHint = next == null ? n.tail : next;
            } else if (h < q.counters.headHint || q.absent.contains(h)) {
                n.headHint++;
            } else if (h >= q.knownFrom) {
                return;
            } else {
                long row = nextRow(c.prefix, h, q.knownFrom);
                if (row == h) {
                    return;
                }
                Long overlaid = c.queue.ceilingKey(h);
                n.headHint = overlaid != null && overlaid < row ? overlaid : row;
            }
        }
    }

    /** The seq of the first queue row in [from, to) on disk, or {@code to}. */
    private long nextRow(byte[] prefix, long from, long to) throws RocksDBException {
        try (Slice upper = new Slice(Keys.withSeq(prefix, to));
                ReadOptions ro = new ReadOptions().setIterateUpperBound(upper);
                RocksIterator it = db.newIterator(handles.get(Family.QUEUE), ro)) {
            it.seek(Keys.withSeq(prefix, from));
            if (it.isValid()) {
                return Keys.seq(it.key());
            }
            it.status();
            return to;
        }
    }

    private void deleteRows(byte[] prefix, long from, long to) throws RocksDBException {
        byte[] begin = Keys.withSeq(prefix, from);
        byte[] end = Keys.withSeq(prefix, to);
        batch.deleteRange(handles.get(Family.QUEUE), begin, end);
        batch.deleteRange(handles.get(Family.INFLIGHT), begin, end);
    }

    private void deleteSession(Op.DeleteSession d) throws RocksDBException {
        ClientChange c = client(d.clientId(), d.prefix());
        byte[] prefix = d.prefix();
        if (!c.wiped && c.counters.count > 0) {
            releaseCommittedEntries(c, prefix);
        }
        for (Slot s : c.queue.values()) {
            if (s != ABSENT) {
                refs.release(s.messageId());
            }
        }
        byte[] end = Keys.prefixEnd(prefix);
        batch.delete(handles.get(Family.SESSIONS), prefix);
        batch.delete(handles.get(Family.COUNTERS), prefix);
        for (Family f : new Family[] {Family.SUBSCRIPTIONS, Family.QUEUE, Family.INFLIGHT, Family.INBOUND}) {
            batch.deleteRange(handles.get(f), prefix, end);
        }
        c.queue.clear();
        c.counters = new QueueCounters();
        c.reclaimedHead = 0;
        c.wiped = true;
        c.dirty = true;
    }

    /**
     * Releases the references of the committed entries of a queue that the batch has not touched: the rows
     * from the head on (rows below it are gone already).
     */
    private void releaseCommittedEntries(ClientChange c, byte[] prefix) throws RocksDBException {
        QueueCounters n = c.counters;
        try (Slice upper = new Slice(Keys.withSeq(prefix, n.tail));
                ReadOptions ro = new ReadOptions().setIterateUpperBound(upper);
                RocksIterator it = db.newIterator(handles.get(Family.QUEUE), ro)) {
            for (it.seek(Keys.withSeq(prefix, n.headHint)); it.isValid(); it.next()) {
                long seq = Keys.seq(it.key());
                if (!c.queue.containsKey(seq)) {
                    byte[] v = it.value();
                    if (!Values.queueInline(v)) {
                        refs.release(Values.queueMessageId(v));
                    }
                }
            }
            it.status();
        }
    }

    /**
     * The entry at {@code seq} as this batch leaves it, or null when there is none. {@link #PRESENT} when
     * it is known to be there and {@code read} is false; with {@code read} the row is read unless the batch
     * wrote it.
     */
    private @Nullable Slot lookup(ClientChange c, long seq, boolean read) throws RocksDBException {
        Slot s = c.queue.get(seq);
        if (s != null) {
            return s == ABSENT ? null : s;
        }
        QueueState q = c.committed;
        if (c.wiped || seq < q.counters.headHint || seq >= q.counters.tail || q.absent.contains(seq)) {
            return null;
        }
        if (!read && seq >= q.knownFrom) {
            return PRESENT;
        }
        byte[] v = db.get(handles.get(Family.QUEUE), Keys.withSeq(c.prefix, seq));
        return v == null ? null : new Slot(Values.queueMessageId(v), Values.queueSize(v));
    }

    private ClientChange client(String clientId, byte[] prefix) {
        ClientChange c = clients.get(clientId);
        if (c == null) {
            QueueState committed = state.queues.get(clientId);
            c = new ClientChange(committed == null ? QueueState.empty() : committed, prefix);
            clients.put(clientId, c);
        }
        return c;
    }

    /** Adds the derived rows: counters, reclaimed rows, reference counts, messages, the high-water mark. */
    void finish() {
        try {
            for (Map.Entry<String, ClientChange> e : clients.entrySet()) {
                ClientChange c = e.getValue();
                if (c.dirty) {
                    QueueCounters n = c.counters;
                    if (n.isZero()) {
                        batch.delete(handles.get(Family.COUNTERS), c.prefix);
                        continue;
                    }
                    long moved = n.headHint - c.reclaimedHead;
                    if (moved >= QueueState.RECLAIM_EVERY || (moved > 0 && n.count == 0)) {
                        // from the last reclaimed head, not from 0: the rows below it are gone already, and
                        // nested tombstones [0, h1), [0, h2), ... cost a flush O(n^2) fragments (it spent
                        // minutes in malloc with gigabytes resident and stopped writes meanwhile)
                        deleteRows(c.prefix, c.reclaimedHead, n.headHint);
                        c.reclaimedHead = n.headHint;
                    }
                    batch.put(handles.get(Family.COUNTERS), c.prefix, n.encode());
                }
            }
            refs.finish();
            if (maxMessageId > state.maxMessageId) {
                batch.put(handles.get(Family.META), Keys.MAX_MESSAGE_ID, Values.u64(maxMessageId));
            }
        } catch (RocksDBException e) {
            throw new IllegalStateException("cannot add to a write batch", e);
        }
    }

    /** Folds the batch's changes into the committer's state; call only after the write succeeded. */
    void publish() {
        for (Map.Entry<String, ClientChange> e : clients.entrySet()) {
            ClientChange c = e.getValue();
            QueueCounters n = c.counters;
            if (n.isZero()) {
                state.queues.remove(e.getKey());
                state.heads.remove(e.getKey());
                continue;
            }
            QueueState q = c.wiped ? QueueState.empty() : c.committed;
            q.counters = n;
            q.reclaimedHead = c.reclaimedHead;
            if (c.holes || !q.absent.isEmpty()) {
                foldAbsent(c.queue, q.absent, n.headHint);
            }
            state.queues.put(e.getKey(), q);
            state.heads.put(e.getKey(), n.headHint);
        }
        refs.publish();
        state.maxMessageId = maxMessageId;
    }

    /**
     * Folds the batch's slots into a queue's set of absent seqs at or above the new head. Most queues have
     * none and most batches add none (entries come at the tail and go at the head), so this runs only for
     * a queue whose set holds something or whose batch left a hole.
     */
    private static void foldAbsent(TreeMap<Long, Slot> slots, TreeSet<Long> absent, long head) {
        for (Map.Entry<Long, Slot> s : slots.tailMap(head, true).entrySet()) {
            if (s.getValue() == ABSENT) {
                absent.add(s.getKey());
            } else if (!absent.isEmpty()) {
                absent.remove(s.getKey());
            }
        }
        if (!absent.isEmpty() && absent.first() < head) {
            absent.headSet(head).clear();
        }
    }
}
