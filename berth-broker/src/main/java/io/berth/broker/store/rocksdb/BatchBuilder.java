package io.berth.broker.store.rocksdb;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
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
 * that later ops of the same batch see earlier ones; what it does not know yet it reads from the
 * committed database (the committer is its only writer).
 *
 * <p>Threading: used by the committer thread only, for one batch.
 */
final class BatchBuilder {
  /** A queue entry as the batch knows it. */
  private record Slot(long messageId, int size) {}

  private static final Slot ABSENT = new Slot(-1, 0);

  /** What the batch does to one client. */
  private static final class ClientChange {
    QueueCounters counters;
    final TreeMap<Long, Slot> queue = new TreeMap<>();
    boolean wiped;
    boolean dirty;
  }

  /** What the batch does to one message's reference count. */
  private static final class RefChange {
    final long before;
    long after;
    byte[] message;

    RefChange(long before) {
      this.before = before;
      this.after = before;
    }
  }

  private final RocksDB db;
  private final Handles handles;
  private final CommitterState state;
  private final WriteBatch batch;
  private final Map<String, ClientChange> clients = new HashMap<>();
  private final Map<Long, RefChange> refs = new HashMap<>();
  private long maxMessageId;

  BatchBuilder(RocksDB db, Handles handles, CommitterState state, WriteBatch batch) {
    this.db = db;
    this.handles = handles;
    this.state = state;
    this.batch = batch;
    this.maxMessageId = state.maxMessageId;
  }

  void apply(Op op) throws RocksDBException {
    if (op instanceof Op.Put p) {
      batch.put(handles.get(p.family()), p.key(), p.value());
      maxMessageId = Math.max(maxMessageId, p.messageId());
    } else if (op instanceof Op.Delete d) {
      batch.delete(handles.get(d.family()), d.key());
    } else if (op instanceof Op.Enqueue e) {
      enqueue(e);
    } else if (op instanceof Op.Dequeue d) {
      dequeue(d);
    } else if (op instanceof Op.PutInflight f) {
      ClientChange c = client(f.clientId());
      if (lookup(c, f.prefix(), f.seq()) != null) {
        batch.put(handles.get(Family.INFLIGHT), Keys.withSeq(f.prefix(), f.seq()), f.value());
      }
    } else if (op instanceof Op.DeleteSession d) {
      deleteSession(d);
    } else {
      throw new IllegalArgumentException("unknown op " + op);
    }
  }

  private void enqueue(Op.Enqueue e) throws RocksDBException {
    ClientChange c = client(e.clientId());
    QueueCounters n = c.counters;
    Slot old = lookup(c, e.prefix(), e.seq());
    if (old != null) {
      ref(old.messageId(), -1, null);
      n.count--;
      n.bytes -= old.size();
    }
    batch.put(handles.get(Family.QUEUE), Keys.withSeq(e.prefix(), e.seq()), e.value());
    c.queue.put(e.seq(), new Slot(e.messageId(), e.size()));
    n.headHint = n.count == 0 ? e.seq() : Math.min(n.headHint, e.seq());
    n.count++;
    n.bytes += e.size();
    n.tail = Math.max(n.tail, e.seq() + 1);
    c.dirty = true;
    ref(e.messageId(), 1, e.message());
    maxMessageId = Math.max(maxMessageId, e.messageId());
  }

  private void dequeue(Op.Dequeue d) throws RocksDBException {
    ClientChange c = client(d.clientId());
    batch.delete(handles.get(Family.INFLIGHT), Keys.withSeq(d.prefix(), d.seq()));
    Slot old = lookup(c, d.prefix(), d.seq());
    if (old == null) {
      return;
    }
    batch.delete(handles.get(Family.QUEUE), Keys.withSeq(d.prefix(), d.seq()));
    c.queue.put(d.seq(), ABSENT);
    QueueCounters n = c.counters;
    n.count--;
    n.bytes -= old.size();
    if (n.count == 0) {
      n.headHint = n.tail;
    } else if (d.seq() == n.headHint) {
      n.headHint++;
      while (c.queue.get(n.headHint) == ABSENT) {
        n.headHint++;
      }
    }
    c.dirty = true;
    ref(old.messageId(), -1, null);
  }

  private void deleteSession(Op.DeleteSession d) throws RocksDBException {
    ClientChange c = client(d.clientId());
    byte[] prefix = d.prefix();
    if (!c.wiped && c.counters.count > 0) {
      releaseCommittedEntries(c, prefix);
    }
    for (Slot s : c.queue.values()) {
      if (s != ABSENT) {
        ref(s.messageId(), -1, null);
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
    c.wiped = true;
    c.dirty = true;
  }

  /** Releases the references of the committed entries of a queue that the batch has not touched. */
  private void releaseCommittedEntries(ClientChange c, byte[] prefix) throws RocksDBException {
    QueueCounters n = c.counters;
    try (Slice upper = new Slice(Keys.withSeq(prefix, n.tail));
        ReadOptions ro = new ReadOptions().setIterateUpperBound(upper);
        RocksIterator it = db.newIterator(handles.get(Family.QUEUE), ro)) {
      for (it.seek(Keys.withSeq(prefix, n.headHint)); it.isValid(); it.next()) {
        long seq = Keys.seq(it.key());
        if (!c.queue.containsKey(seq)) {
          ref(Values.queueMessageId(it.value()), -1, null);
        }
      }
      it.status();
    }
  }

  /** The entry at {@code seq} as this batch leaves it, or null when there is none. */
  private Slot lookup(ClientChange c, byte[] prefix, long seq) throws RocksDBException {
    Slot s = c.queue.get(seq);
    if (s != null) {
      return s == ABSENT ? null : s;
    }
    QueueCounters n = c.counters;
    if (c.wiped || n.count == 0 || seq < n.headHint || seq >= n.tail) {
      return null;
    }
    byte[] v = db.get(handles.get(Family.QUEUE), Keys.withSeq(prefix, seq));
    return v == null ? null : new Slot(Values.queueMessageId(v), Values.queueSize(v));
  }

  private ClientChange client(String clientId) {
    ClientChange c = clients.get(clientId);
    if (c == null) {
      c = new ClientChange();
      QueueCounters committed = state.counters.get(clientId);
      c.counters = committed == null ? new QueueCounters() : committed.copy();
      clients.put(clientId, c);
    }
    return c;
  }

  private void ref(long messageId, int delta, byte[] message) throws RocksDBException {
    RefChange r = refs.get(messageId);
    if (r == null) {
      r = new RefChange(committedRefs(messageId));
      refs.put(messageId, r);
    }
    r.after += delta;
    if (message != null && r.message == null) {
      r.message = message;
    }
  }

  private long committedRefs(long messageId) throws RocksDBException {
    Long cached = state.refs.get(messageId);
    if (cached != null) {
      return cached;
    }
    if (messageId > state.maxMessageId) {
      return 0;
    }
    byte[] v = db.get(handles.get(Family.REFS), Keys.message(messageId));
    return v == null ? 0 : Values.readU64(v);
  }

  /** Adds the derived rows: counters, reference counts, messages, the high-water mark. */
  void finish() {
    try {
      for (Map.Entry<String, ClientChange> e : clients.entrySet()) {
        ClientChange c = e.getValue();
        if (c.dirty) {
          byte[] key = Keys.client(e.getKey());
          if (c.counters.isZero()) {
            batch.delete(handles.get(Family.COUNTERS), key);
          } else {
            batch.put(handles.get(Family.COUNTERS), key, c.counters.encode());
          }
        }
      }
      for (Map.Entry<Long, RefChange> e : refs.entrySet()) {
        RefChange r = e.getValue();
        byte[] key = Keys.message(e.getKey());
        if (r.after < 0) {
          throw new IllegalStateException("reference count of message " + e.getKey() + " below zero");
        }
        if (r.after == r.before) {
          continue;
        }
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
      if (c.counters.isZero()) {
        state.counters.remove(e.getKey());
      } else {
        state.counters.put(e.getKey(), c.counters);
      }
    }
    for (Map.Entry<Long, RefChange> e : refs.entrySet()) {
      if (e.getValue().after == 0) {
        state.refs.remove(e.getKey());
      } else {
        state.refs.put(e.getKey(), e.getValue().after);
      }
    }
    state.maxMessageId = maxMessageId;
  }
}
