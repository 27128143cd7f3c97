package io.berth.broker.store.rocksdb;

import io.berth.broker.store.InflightRecord;
import io.berth.broker.store.RecoveredSession;
import io.berth.broker.store.SessionRecord;
import io.berth.broker.store.SessionStore.Recovery;
import io.berth.broker.store.StoredMessage;
import io.berth.broker.store.Subscription;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;

/**
 * Reads what {@link io.berth.broker.store.SessionStore#recover()} returns. It scans the small families
 * (sessions, counters, subscriptions, inflight, inbound, retained) and, for each non-empty queue, makes
 * one seek from the counter row's head hint to find the exact head. It never scans a queue nor reads a
 * queued message: its work grows with sessions, not with queued messages.
 *
 * <p>Threading: any thread; reads only committed state.
 */
final class RecoveryReader {
    private final RocksDB db;
    private final Handles handles;
    private final Path dir;

    RecoveryReader(RocksDB db, Handles handles, Path dir) {
        this.db = db;
        this.handles = handles;
        this.dir = dir;
    }

    private static final class Builder {
        final SessionRecord record;

        final List<Subscription> subscriptions = new ArrayList<>();
        QueueCounters counters = new QueueCounters();
        final List<InflightRecord> inflight = new ArrayList<>();
        final Set<Integer> inbound = new HashSet<>();

        Builder(SessionRecord record) {
            this.record = record;
        }
    }

    /** One key and value of a scan; decoding may throw {@link IllegalArgumentException}. */
    @FunctionalInterface
    private interface Row {
        void accept(byte[] key, byte[] value);
    }

    Recovery read() {
        Map<String, Builder> sessions = new LinkedHashMap<>();
        scan(Family.SESSIONS, (k, v) -> {
            String clientId = Keys.clientId(k);
            sessions.put(clientId, new Builder(Values.readSession(clientId, v)));
        });
        scan(Family.COUNTERS, (k, v) -> {
            Builder b = sessions.get(Keys.clientId(k));
            if (b != null) {
                b.counters = QueueCounters.decode(v);
            }
        });
        scan(Family.SUBSCRIPTIONS, (k, v) -> {
            Builder b = sessions.get(Keys.clientId(k));
            if (b != null) {
                b.subscriptions.add(Values.readSubscription(Keys.filter(k), v));
            }
        });
        scan(Family.INFLIGHT, (k, v) -> {
            Builder b = sessions.get(Keys.clientId(k));
            if (b != null) {
                b.inflight.add(Values.readInflight(Keys.seq(k), v));
            }
        });

        scan(Family.INBOUND, (k, v) -> {
            Builder b = sessions.get(Keys.clientId(k));
            if (b != null) {
                b.inbound.add(Keys.packetId(k));
            }
        });
        List<RecoveredSession> out = new ArrayList<>(sessions.size());
        for (Map.Entry<String, Builder> e : sessions.entrySet()) {
            Builder b = e.getValue();
            QueueCounters c = b.counters;
            long head = c.count == 0 ? c.tail : exactHead(e.getKey(), c);
            // rows below the head are gone, whether or not a range delete has reclaimed them yet
            b.inflight.removeIf(f -> f.seq() < head);
            out.add(new RecoveredSession(
                    b.record, b.subscriptions, head, c.tail, c.count, c.bytes, b.inflight, b.inbound));
        }
        List<StoredMessage> retained = new ArrayList<>();
        scan(Family.RETAINED, (k, v) -> retained.add(Values.readMessage(v)));
        return new Recovery(out, retained, maxMessageId() + 1);
    }

    /** The lowest queued seq: one seek from the head hint, bounded by the tail. */
    private long exactHead(String clientId, QueueCounters c) {
        byte[] prefix = Keys.client(clientId);
        try (Slice upper = new Slice(Keys.withSeq(prefix, c.tail));
                ReadOptions ro = new ReadOptions().setIterateUpperBound(upper);
                RocksIterator it = db.newIterator(handles.get(Family.QUEUE), ro)) {
            it.seek(Keys.withSeq(prefix, c.headHint));
            if (it.isValid()) {
                return Keys.seq(it.key());
            }
            it.status();
        } catch (RocksDBException e) {
            throw corrupt(Family.QUEUE, prefix, e);
        }
        throw new CorruptStoreException("the store in " + dir + " counts " + c.count + " queued messages for client '"
                + clientId + "' but holds none: " + advice());
    }

    long maxMessageId() {
        try {
            byte[] v = db.get(handles.get(Family.META), Keys.MAX_MESSAGE_ID);
            return v == null ? 0 : Values.readU64(v);
        } catch (RocksDBException | IllegalArgumentException e) {
            throw corrupt(Family.META, Keys.MAX_MESSAGE_ID, e);
        }
    }

    /**
     * Every counter row, for the committer's state at open, each with its exact head: the first present
     * entry, or the tail when the queue is empty.
     */
    Map<String, QueueCounters> counters() {
        Map<String, QueueCounters> all = new java.util.HashMap<>();
        scan(Family.COUNTERS, (k, v) -> all.put(Keys.clientId(k), QueueCounters.decode(v)));
        for (Map.Entry<String, QueueCounters> e : all.entrySet()) {
            QueueCounters c = e.getValue();
            c.headHint = c.count == 0 ? c.tail : exactHead(e.getKey(), c);
        }
        return all;
    }

    private void scan(Family family, Row row) {
        try (ReadOptions ro = new ReadOptions().setFillCache(false);
                RocksIterator it = db.newIterator(handles.get(family), ro)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                byte[] key = it.key();
                try {
                    row.accept(key, it.value());
                } catch (IllegalArgumentException e) {
                    throw corrupt(family, key, e);
                }
            }
            it.status();
        } catch (RocksDBException e) {
            throw new CorruptStoreException(
                    "cannot read column family '" + family.familyName() + "' of the store in " + dir + ": "
                            + e.getMessage() + ". " + advice(),
                    e);
        }
    }

    private CorruptStoreException corrupt(Family family, byte[] key, Exception e) {
        return new CorruptStoreException(
                "cannot read key '" + Keys.printable(key) + "' of column family '" + family.familyName()
                        + "' in the store in " + dir + ": " + e.getMessage() + ". " + advice(),
                e);
    }

    private String advice() {
        return "The store is damaged: restore " + dir + " from a backup, or move it aside to start with an"
                + " empty store (its sessions and queued messages are then lost)";
    }
}
