package io.berth.broker.store.rocksdb;

import io.berth.broker.store.CommitListener;
import io.berth.broker.store.QueuedMessage;
import io.berth.broker.store.SessionStore;
import io.berth.broker.store.StoreCommand;
import io.berth.broker.store.StoredMessage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;
import org.rocksdb.Statistics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable {@link SessionStore}: one RocksDB database in a data folder, with the column families of
 * {@link Family}, the layout of {@code docs/storage-format.md}, and group commit ({@link Committer}).
 * A message with one durable destination is written once, inline in its queue entry; a message that
 * several queues hold is stored once with a reference count, written with its first queue entry and
 * deleted with its last, in the same atomic batch. Each client's queue head, tail, count and bytes are kept in a
 * counter row of the same batch, so that {@link #recover()} reads one row per session and never a
 * queued message.
 *
 * <p>Durability: with {@code sync} every batch is written with the WAL fsynced before any of its futures
 * completes (survives power loss); without it the WAL is written to the operating system only (survives
 * a crash of the process, not of the machine). A batch of dequeues alone is not synced by itself (its
 * futures wait for the next sync): a lost dequeue only delivers its entry again. Each queue's head is
 * authoritative: what is below it is gone, and its rows are reclaimed with range deletes now and then.
 *
 * <p>Threading: the committer thread owns the write batch and is the database's only writer; the flush
 * thread of {@link MemtableFlusher} only flushes memtables to SST files. Reads ({@link #readQueue}
 * through {@link QueueReader}, {@link #recover()} through {@link RecoveryReader}) run on the calling
 * thread (a session shard) directly on the database and see every command whose future has completed.
 * Futures complete on the committer thread; {@link #close} is synchronized.
 */
public final class RocksSessionStore implements SessionStore {
    private static final Logger LOG = LoggerFactory.getLogger(RocksSessionStore.class);

    private final Path dir;
    private final boolean sync;
    private final RocksDatabase database;
    private final RocksDB db;
    private final Handles handles;
    private final Committer committer;
    private final QueueReader queues;
    private final MemtableFlusher flusher;
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
        reader.counters().forEach((clientId, counters) -> {
            state.queues.put(clientId, QueueState.recovered(counters));
            state.heads.put(clientId, counters.headHint);
        });
        state.maxMessageId = reader.maxMessageId();
        state.refsKnownAbove = state.maxMessageId;
        BatchWriter direct = (options, batch) -> db.write(options, batch);
        this.committer = new Committer(
                db,
                handles,
                state,
                database.writeOptions(sync),
                database.writeOptions(false),
                wrap.apply(direct),
                "berth-store-committer",
                listener);
        this.queues = new QueueReader(db, handles, dir, state.heads);
        committer.start();
        this.flusher = new MemtableFlusher(db, database.allHandles(), dir, committer::batches);
        flusher.start();
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
    static RocksSessionStore open(
            Path dir, boolean sync, UnaryOperator<BatchWriter> wrap, @Nullable Statistics statistics)
            throws IOException {
        return open(dir, sync, wrap, statistics, CommitListener.NONE);
    }

    private static RocksSessionStore open(
            Path dir,
            boolean sync,
            UnaryOperator<BatchWriter> wrap,
            @Nullable Statistics statistics,
            CommitListener listener)
            throws IOException {
        RocksDatabase database = RocksDatabase.open(dir, statistics);
        try {
            return new RocksSessionStore(dir, sync, database, wrap, listener);
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
    }

    /**
     * Loads RocksDB's native library on a daemon thread, so that a start overlaps it (linking about 17 MB,
     * and unpacking it unless a launcher keeps it, see {@link NativeLibrary}) with its other work; {@link
     * #open} waits for it if it is still running. Any thread; idempotent.
     */
    public static void preloadNativeLibrary() {
        Thread t = new Thread(NativeLibrary::load, "berth-store-preload");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public boolean sendsBeforeCommit() {
        return true;
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

    /**
     * A write of the {@code meta} family beside the commands, under a key of its own namespace
     * ({@value #META_PREFIX}...); a null value deletes the key, or with {@code wholePrefix} every key that
     * starts with it.
     */
    public record MetaWrite(String key, byte @Nullable [] value, boolean wholePrefix) {
        public MetaWrite {
            java.util.Objects.requireNonNull(key, "key");
            if (wholePrefix && value != null) {
                throw new IllegalArgumentException("a prefix can only be deleted");
            }
        }

        public MetaWrite(String key, byte @Nullable [] value) {
            this(key, value, false);
        }

        /** Deletes every key that starts with {@code prefix}. */
        public static MetaWrite deletePrefix(String prefix) {
            return new MetaWrite(prefix, null, true);
        }
    }

    /** Where {@link MetaWrite} keys live in the {@code meta} family, apart from the store's own keys. */
    public static final String META_PREFIX = "ext/";

    /**
     * Submits commands together with {@code meta} writes, all in one atomic batch: what a replicated
     * log's state machine needs to record the log position it applied, atomically with the entry.
     */
    public CompletableFuture<Void> submit(List<StoreCommand> commands, List<MetaWrite> meta) {
        List<Op> ops;
        try {
            ops = new ArrayList<>(Op.encode(commands));
            for (MetaWrite m : meta) {
                byte[] key = Keys.meta(META_PREFIX + m.key());
                byte[] value = m.value();
                if (m.wholePrefix()) {
                    ops.add(new Op.DeleteRange(Family.META, key, Keys.prefixEnd(key)));
                } else {
                    ops.add(value == null ? new Op.Delete(Family.META, key) : new Op.Put(Family.META, key, value, 0));
                }
            }
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return committer.submit(ops);
    }

    /** Every {@link MetaWrite} key starting with {@code prefix}, with its value; any thread. */
    public Map<String, byte[]> readMeta(String prefix) {
        return new RecoveryReader(db, handles, dir).meta(META_PREFIX + prefix, META_PREFIX.length());
    }

    /**
     * At most {@code max} {@link MetaWrite} keys that start with {@code prefix} and sort after {@code
     * after} (an empty {@code after}: from the first), in key order, with their values; any thread.
     */
    public java.util.LinkedHashMap<String, byte[]> readMeta(String prefix, String after, int max) {
        byte[] start = Keys.meta(META_PREFIX + prefix + after);
        byte[] upper = Keys.prefixEnd(Keys.meta(META_PREFIX + prefix));
        java.util.LinkedHashMap<String, byte[]> out = new java.util.LinkedHashMap<>();
        try (Slice bound = new Slice(upper);
                ReadOptions ro = new ReadOptions().setIterateUpperBound(bound);
                RocksIterator it = db.newIterator(handles.get(Family.META), ro)) {
            for (it.seek(start); it.isValid() && out.size() < max; it.next()) {
                String key =
                        new String(it.key(), java.nio.charset.StandardCharsets.UTF_8).substring(META_PREFIX.length());
                if (!after.isEmpty() && key.equals(prefix + after)) {
                    continue;
                }
                out.put(key, it.value());
            }
            it.status();
        } catch (RocksDBException e) {
            throw new IllegalStateException("cannot read the meta rows '" + prefix + "' in " + dir, e);
        }
        return out;
    }

    @Override
    public Recovery recover() {
        return new RecoveryReader(db, handles, dir).read();
    }

    /** The committed state of one session as {@link #recover()} would return it, or null when none. */
    public io.berth.broker.store.@Nullable RecoveredSession recoverSession(String clientId) {
        return new RecoveryReader(db, handles, dir).readOne(clientId);
    }

    @Override
    public List<QueuedMessage> readQueue(String clientId, long fromSeq, long toSeq, int max) {
        return queues.read(clientId, fromSeq, toSeq, max);
    }

    @Override
    public @Nullable StoredMessage readRetained(String topic) {
        try {
            byte[] value = db.get(handles.get(Family.RETAINED), Keys.topic(topic));
            return value == null ? null : Values.readMessage(value);
        } catch (RocksDBException e) {
            throw new IllegalStateException("cannot read the retained message of '" + topic + "' in " + dir, e);
        }
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

    /**
     * Writes a consistent copy of the database to {@code target}, which must not exist: a RocksDB
     * checkpoint (the memtables are flushed first, SST files are hard-linked when on the same file
     * system). It holds every batch whose future completed before the call. Any thread.
     */
    public void checkpoint(Path target) throws IOException {
        try (org.rocksdb.Checkpoint c = org.rocksdb.Checkpoint.create(db)) {
            c.createCheckpoint(target.toString());
        } catch (RocksDBException e) {
            throw new IOException(
                    "checkpoint of the store in " + dir + " to " + target + " failed: " + e.getMessage(), e);
        }
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
        flusher.stop();
        committer.stop();
        try {
            flusher.flushAll();
        } catch (RocksDBException e) {
            LOG.warn("flush of the store in {} at close failed; the WAL still holds everything", dir, e);
        }
        database.close();
    }
}
