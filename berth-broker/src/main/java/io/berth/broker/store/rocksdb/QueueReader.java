package io.berth.broker.store.rocksdb;

import io.berth.broker.store.QueueEntry;
import io.berth.broker.store.QueuedMessage;
import io.berth.broker.store.StoredMessage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;
import org.rocksdb.Snapshot;

/**
 * Reads a range of one client's queue, with its messages, from one snapshot: the entries in order, each
 * with the message it holds inline or, for a message that several queues share, the one read from the
 * {@code messages} family in a single multi-get. Nothing below the queue's committed head is returned.
 *
 * <p>Threading: any thread (a session shard's, or the queue reader's); it holds no state of its own and
 * reads only what has committed. {@code heads} is the committer's, published for readers.
 */
final class QueueReader {
    private final RocksDB db;
    private final Handles handles;
    private final Path dir;
    /** Each client's committed queue head (see {@link CommitterState#heads}). */
    private final Map<String, Long> heads;

    QueueReader(RocksDB db, Handles handles, Path dir, Map<String, Long> heads) {
        this.db = db;
        this.handles = handles;
        this.dir = dir;
        this.heads = heads;
    }

    /** See {@link io.berth.broker.store.SessionStore#readQueue}. */
    List<QueuedMessage> read(String clientId, long fromSeq, long toSeq, int max) {
        byte[] prefix = Keys.client(clientId);
        long from = Math.max(Math.max(0, fromSeq), heads.getOrDefault(clientId, 0L));
        if (from >= toSeq || max <= 0) {
            return List.of();
        }
        Snapshot snapshot = db.getSnapshot();
        try (Slice upper = new Slice(Keys.withSeq(prefix, toSeq));
                ReadOptions ro = new ReadOptions().setIterateUpperBound(upper).setSnapshot(snapshot);
                RocksIterator it = db.newIterator(handles.get(Family.QUEUE), ro)) {
            List<QueueEntry> entries = new ArrayList<>(Math.min(max, 64));
            Map<Long, StoredMessage> messages = new HashMap<>();
            StoredMessage[] inline = new StoredMessage[1];
            for (it.seek(Keys.withSeq(prefix, from)); it.isValid() && entries.size() < max; it.next()) {
                inline[0] = null;
                QueueEntry e = Values.readQueueEntry(Keys.seq(it.key()), it.value(), inline);
                entries.add(e);
                if (inline[0] != null) {
                    messages.put(e.messageId(), inline[0]);
                }
            }
            it.status();
            return withMessages(clientId, entries, messages, ro);
        } catch (RocksDBException e) {
            throw new IllegalStateException("cannot read the queue of '" + clientId + "' in " + dir, e);
        } finally {
            db.releaseSnapshot(snapshot);
        }
    }

    /** Pairs entries with their messages: those held inline, and the shared ones read in one multi-get. */
    private List<QueuedMessage> withMessages(
            String clientId, List<QueueEntry> entries, Map<Long, StoredMessage> messages, ReadOptions ro)
            throws RocksDBException {
        if (entries.isEmpty()) {
            return List.of();
        }
        Set<Long> ids = new LinkedHashSet<>();
        for (QueueEntry e : entries) {
            if (!messages.containsKey(e.messageId())) {
                ids.add(e.messageId());
            }
        }
        if (!ids.isEmpty()) {
            List<byte[]> keys = new ArrayList<>(ids.size());
            List<ColumnFamilyHandle> families = new ArrayList<>(ids.size());
            for (long id : ids) {
                keys.add(Keys.message(id));
                families.add(handles.get(Family.MESSAGES));
            }
            List<byte[]> values = db.multiGetAsList(ro, families, keys);
            int i = 0;
            for (long id : ids) {
                byte[] v = values.get(i++);
                if (v == null) {
                    throw new CorruptStoreException("the queue of '" + clientId + "' refers to message " + id
                            + ", which the store in " + dir + " does not hold");
                }
                messages.put(id, Values.readMessage(v));
            }
        }
        List<QueuedMessage> out = new ArrayList<>(entries.size());
        for (QueueEntry e : entries) {
            out.add(new QueuedMessage(e, Objects.requireNonNull(messages.get(e.messageId()), "read above")));
        }
        return out;
    }
}
