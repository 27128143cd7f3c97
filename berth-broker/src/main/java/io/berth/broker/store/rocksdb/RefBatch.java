package io.berth.broker.store.rocksdb;

import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

/**
 * What one group commit does to message reference counts, and whether each entry it writes holds its
 * message inline. A message first stored by a batch that queues it once is inline in its entry; queued
 * more than once, it is stored once in {@code messages} with a count in {@code refs}, written when the
 * count leaves 0 and deleted with it when it comes back to 0. A later entry of a message follows what
 * exists: shared while a count exists, inline otherwise. So all entries of a message are alike, and a
 * positive count says which (ADR 8).
 *
 * <p>Threading: used by the committer thread only, for one batch.
 */
final class RefBatch {
    /** What the batch does to one message's reference count. */
    private static final class RefChange {
        final long before;
        long after;
        byte @Nullable [] message;

        RefChange(long before) {
            this.before = before;
            this.after = before;
        }
    }

    private final RocksDB db;
    private final Handles handles;
    private final CommitterState state;
    private final WriteBatch batch;
    private final Map<Long, RefChange> refs = new HashMap<>();
    private final Map<Long, Integer> enqueues = new HashMap<>();

    RefBatch(RocksDB db, Handles handles, CommitterState state, WriteBatch batch) {
        this.db = db;
        this.handles = handles;
        this.state = state;
        this.batch = batch;
    }

    /** Counts an enqueue of a message; call for every enqueue of the batch before anything else. */
    void plan(long messageId) {
        if (messageId > state.maxMessageId) {
            enqueues.merge(messageId, 1, Integer::sum);
        }
    }

    /**
     * Whether a new entry of this message holds the message itself: yes for a message that this batch
     * stores first and queues once (one durable destination), and for an older one with no count (its
     * entries are inline, or its shared copy is gone).
     */
    boolean inline(long messageId) throws RocksDBException {
        if (messageId > state.maxMessageId) {
            return enqueues.getOrDefault(messageId, 0) == 1;
        }
        RefChange r = refs.get(messageId);
        return (r == null ? committed(messageId) : r.after) == 0;
    }

    /** One more entry refers to the shared copy of a message. */
    void ref(long messageId, byte[] message) throws RocksDBException {
        RefChange r = change(messageId);
        r.after++;
        if (r.message == null) {
            r.message = message;
        }
    }

    /** One entry of a message is gone: one reference less, or nothing when its entries are inline. */
    void release(long messageId) throws RocksDBException {
        RefChange r = change(messageId);
        if (r.after > 0) {
            r.after--;
        }
    }

    private RefChange change(long messageId) throws RocksDBException {
        RefChange r = refs.get(messageId);
        if (r == null) {
            r = new RefChange(committed(messageId));
            refs.put(messageId, r);
        }
        return r;
    }

    /** The committed count: cached, known to be 0, or read. */
    private long committed(long messageId) throws RocksDBException {
        Long cached = state.refs.get(messageId);
        if (cached != null) {
            return cached;
        }
        if (messageId > state.refsKnownAbove) {
            return 0;
        }
        byte[] v = db.get(handles.get(Family.REFS), Keys.message(messageId));
        return v == null ? 0 : Values.readU64(v);
    }

    /** Adds the changed counts and the messages written or deleted with them. */
    void finish() throws RocksDBException {
        for (Map.Entry<Long, RefChange> e : refs.entrySet()) {
            RefChange r = e.getValue();
            if (r.after == r.before) {
                continue;
            }
            byte[] key = Keys.message(e.getKey());
            if (r.after == 0) {
                batch.delete(handles.get(Family.REFS), key);
                batch.delete(handles.get(Family.MESSAGES), key);
            } else {
                batch.put(handles.get(Family.REFS), key, Values.u64(r.after));
                if (r.before == 0) {
                    batch.put(handles.get(Family.MESSAGES), key, r.message);
                }
            }
        }
    }

    /** Folds the counts into the committer's cache; call only after the write succeeded. */
    void publish() {
        for (Map.Entry<Long, RefChange> e : refs.entrySet()) {
            if (e.getValue().after == 0) {
                state.refs.remove(e.getKey());
            } else {
                state.refs.put(e.getKey(), e.getValue().after);
            }
        }
    }
}
