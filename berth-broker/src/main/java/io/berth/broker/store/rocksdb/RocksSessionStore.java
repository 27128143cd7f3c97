package io.berth.broker.store.rocksdb;

import io.berth.broker.store.CommitListener;
import io.berth.broker.store.QueueEntry;
import io.berth.broker.store.QueuedMessage;
import io.berth.broker.store.SessionStore;
import io.berth.broker.store.StoreCommand;
import io.berth.broker.store.StoredMessage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.FlushOptions;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;
import org.rocksdb.Snapshot;
import org.rocksdb.Statistics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable {@link SessionStore}: one RocksDB database in a data folder, with the column families of
 * {@link Family}, the layout of {@code docs/storage-format.md}, and group commit ({@link Committer}).
 * Each message is stored once with a reference count, written with its first queue entry and deleted
 * with its last, in the same atomic batch. Each client's queue head, tail, count and bytes are kept in a
 * counter row of the same batch, so that {@link #recover()} reads one row per session and never a
 * queued message.
 *
 * <p>Durability: with {@code sync} every batch is written with the WAL fsynced before any of its futures
 * completes (survives power loss); without it the WAL is written to the operating system only (survives
 * a crash of the process, not of the machine).
 *
 * <p>Threading: the committer thread owns the write batch and is the database's only writer. Reads
 * ({@link #readQueue}, {@link #recover()}) run on the calling thread (a session shard) directly on the
 * database and see every command whose future has completed. Futures complete on the committer thread.
 */
public final class RocksSessionStore implements SessionStore {
    private static final Logger LOG = LoggerFactory.getLogger(RocksSessionStore.class);

    private final Path dir;
    private final boolean sync;
    private final RocksDatabase database;
    private final RocksDB db;
    private final Handles handles;
    private final Committer committer;
    private boolean closed;

    private RocksSessionStore(
            Path dir, boolean sync, RocksDatabase database, UnaryOperator<BatchWriter> wrap, CommitListener listener) {
        this.dir = dir;
        this.sync = sync;
        this.database = database;
        this.db = database.db();
        this.handles = database.handles();
        RecoveryReader reader = new RecoveryReader(db, handles, dir);
        CommitterState state = new CommitterState();
        state.counters.putAll(reader.counters());
        state.maxMessageId = reader.maxMessageId();
        BatchWriter direct = (options, batch) -> db.write(options, batch);
        this.committer = new Committer(
                db, handles, state, database.writeOptions(sync), wrap.apply(direct), "berth-store-committer", listener);
        committer.start();
    }

    /**
     * Opens (or creates) the store in {@code dir}.
     *
     * @param sync true to fsync the WAL before acknowledging (durability {@code fsync}), false to leave
     *     it to the operating system (durability {@code os})
     * @throws IOException when the folder cannot be used: another Berth holds it, it is not readable, or it
     *     holds a store this Berth cannot read; the message says which and what to do
     */
    public static RocksSessionStore open(Path dir, boolean sync) throws IOException {
        return open(dir, sync, CommitListener.NONE);
    }

    /** As {@link #open(Path, boolean)}, telling {@code listener} of every group commit. */
    public static RocksSessionStore open(Path dir, boolean sync, CommitListener listener) throws IOException {
        return open(dir, sync, UnaryOperator.identity(), null, listener);
    }

    /** As {@link #open(Path, boolean)}, with the batch writer wrapped: the seam for fault injection. */
    static RocksSessionStore open(Path dir, boolean sync, UnaryOperator<BatchWriter> wrap) throws IOException {
        return open(dir, sync, wrap, null);
    }

    /** As {@link #open(Path, boolean, UnaryOperator)}, collecting RocksDB statistics when not null. */
    static RocksSessionStore open(Path dir, boolean sync, UnaryOperator<BatchWriter> wrap, Statistics statistics)
            throws IOException {
        return open(dir, sync, wrap, statistics, CommitListener.NONE);
    }

    private static RocksSessionStore open(
            Path dir, boolean sync, UnaryOperator<BatchWriter> wrap, Statistics statistics, CommitListener listener)
            throws IOException {
        RocksDatabase database = RocksDatabase.open(dir, statistics);
        try {
            return new RocksSessionStore(dir, sync, database, wrap, listener);
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
    }

    @Override
    public CompletableFuture<Void> submit(List<StoreCommand> commands) {
        List<Op> ops;
        try {
            ops = Op.encode(commands);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return committer.submit(ops);
    }

    @Override
    public Recovery recover() {
        return new RecoveryReader(db, handles, dir).read();
    }

    @Override
    public List<QueuedMessage> readQueue(String clientId, long fromSeq, long toSeq, int max) {
        long from = Math.max(0, fromSeq);
        if (from >= toSeq || max <= 0) {
            return List.of();
        }
        byte[] prefix = Keys.client(clientId);
        Snapshot snapshot = db.getSnapshot();
        try (Slice upper = new Slice(Keys.withSeq(prefix, toSeq));
                ReadOptions ro = new ReadOptions().setIterateUpperBound(upper).setSnapshot(snapshot);
                RocksIterator it = db.newIterator(handles.get(Family.QUEUE), ro)) {
            List<QueueEntry> entries = new ArrayList<>(Math.min(max, 64));
            for (it.seek(Keys.withSeq(prefix, from)); it.isValid() && entries.size() < max; it.next()) {
                entries.add(Values.readQueueEntry(Keys.seq(it.key()), it.value()));
            }
            it.status();
            return withMessages(clientId, entries, ro);
        } catch (RocksDBException e) {
            throw new IllegalStateException("cannot read the queue of '" + clientId + "' in " + dir, e);
        } finally {
            db.releaseSnapshot(snapshot);
        }
    }

    @Override
    public StoredMessage readRetained(String topic) {
        try {
            byte[] value = db.get(handles.get(Family.RETAINED), Keys.topic(topic));
            return value == null ? null : Values.readMessage(value);
        } catch (RocksDBException e) {
            throw new IllegalStateException("cannot read the retained message of '" + topic + "' in " + dir, e);
        }
    }

    private List<QueuedMessage> withMessages(String clientId, List<QueueEntry> entries, ReadOptions ro)
            throws RocksDBException {
        if (entries.isEmpty()) {
            return List.of();
        }
        Set<Long> ids = new LinkedHashSet<>();
        for (QueueEntry e : entries) {
            ids.add(e.messageId());
        }
        List<byte[]> keys = new ArrayList<>(ids.size());
        List<ColumnFamilyHandle> families = new ArrayList<>(ids.size());
        for (long id : ids) {
            keys.add(Keys.message(id));
            families.add(handles.get(Family.MESSAGES));
        }
        List<byte[]> values = db.multiGetAsList(ro, families, keys);
        Map<Long, StoredMessage> messages = new HashMap<>();
        int i = 0;
        for (long id : ids) {
            byte[] v = values.get(i++);
            if (v == null) {
                throw new CorruptStoreException("the queue of '" + clientId + "' refers to message " + id
                        + ", which the store in " + dir + " does not hold");
            }
            messages.put(id, Values.readMessage(v));
        }
        List<QueuedMessage> out = new ArrayList<>(entries.size());
        for (QueueEntry e : entries) {
            out.add(new QueuedMessage(e, messages.get(e.messageId())));
        }
        return out;
    }

    @Override
    public boolean durable() {
        return true;
    }

    @Override
    public String describe() {
        return "rocksdb in " + dir + ", durability "
                + (sync
                        ? "fsync (acknowledged = written and fsynced; survives power loss)"
                        : "os (acknowledged = written to the OS, not fsynced; survives a process crash, not power loss)");
    }

    /** Batches and commands committed since open. */
    public String stats() {
        return committer.stats();
    }

    /** Commits what was submitted, flushes the memtables, and releases the folder; idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        committer.stop();
        try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
            db.flush(flush, database.allHandles());
        } catch (RocksDBException e) {
            LOG.warn("flush of the store in {} at close failed; the WAL still holds everything", dir, e);
        }
        database.close();
    }
}
