package io.berth.broker.store.rocksdb;

import io.berth.broker.store.CommitListener;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit. Submitters put their encoded ops on a queue; one thread takes everything that is
 * waiting (up to {@link #MAX_GROUP}), writes it as one {@link WriteBatch} with the store's
 * {@link WriteOptions} (sync = fsync of the WAL), and only then completes the futures. While a write is
 * on disk, new submissions pile up and become the next, larger batch: batches grow with the load by
 * themselves, and an idle committer blocks on the queue with no timer.
 *
 * <p>A group made of lazy ops only ({@link Op#lazy}: dequeues) is written without a sync of its own. Its
 * futures complete when a later synced group has covered it (the WAL is written in order, and a synced
 * write syncs everything before it) or, at most {@link #LAZY_SYNC_MILLIS} after the first of them was
 * written, after one WAL sync. Nobody waits for a dequeue to acknowledge anything, so that delay costs
 * nothing, and a long run of dequeues alone costs one sync per interval.
 *
 * <p>A failed write (I/O error, disk full) completes the futures of that batch exceptionally and leaves
 * the committer's state as the disk is; the next batch is written afresh.
 *
 * <p>Threading: the committer thread owns the write batch, the {@link CommitterState} and every write
 * to the database. Futures are completed on it: dependents must hand their work to their own executor
 * rather than run on this thread.
 */
final class Committer implements Runnable {
    static final int MAX_GROUP = 4096;
    static final long LAZY_SYNC_MILLIS = 20;
    private static final long LAZY_SYNC_NANOS = TimeUnit.MILLISECONDS.toNanos(LAZY_SYNC_MILLIS);
    private static final Logger LOG = LoggerFactory.getLogger(Committer.class);

    /** Encoded ops of one {@code submit} and the future that reports them. */
    record Pending(List<Op> ops, CompletableFuture<Void> future, boolean lazy) {}

    private static final Pending STOP = new Pending(List.of(), new CompletableFuture<>(), false);

    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final RocksDB db;
    private final Handles handles;
    private final CommitterState state;
    private final WriteOptions writeOptions;
    private final WriteOptions lazyOptions;
    private final boolean sync;
    private final List<Pending> unsynced = new ArrayList<>();
    private long unsyncedSince;
    private final BatchWriter writer;
    private final Thread thread;
    private final CommitListener listener;
    private final Object lifecycle = new Object();
    private boolean stopping;
    private volatile long batches;
    private volatile long commands;

    Committer(
            RocksDB db,
            Handles handles,
            CommitterState state,
            WriteOptions writeOptions,
            WriteOptions lazyOptions,
            BatchWriter writer,
            String name,
            CommitListener listener) {
        this.listener = listener;
        this.db = db;
        this.handles = handles;
        this.state = state;
        this.writeOptions = writeOptions;
        this.lazyOptions = lazyOptions;
        this.sync = writeOptions.sync();
        this.writer = writer;
        this.thread = new Thread(this, name);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Queues ops for the next batch; any thread. */
    CompletableFuture<Void> submit(List<Op> ops) {
        CompletableFuture<Void> future = new CompletableFuture<>();
        synchronized (lifecycle) {
            if (stopping) {
                future.completeExceptionally(new IllegalStateException("the store is closed"));
                return future;
            }
            boolean lazy = !ops.isEmpty() && ops.stream().allMatch(Op::lazy);
            queue.add(new Pending(ops, future, lazy));
        }
        return future;
    }

    /** Commits what was submitted before, then stops the thread; idempotent. */
    void stop() {
        synchronized (lifecycle) {
            if (!stopping) {
                stopping = true;
                queue.add(STOP);
            }
        }
        Uninterruptibly.join(thread);
    }

    @Override
    public void run() {
        List<Pending> group = new ArrayList<>();
        boolean stop = false;
        while (!stop) {
            try {
                Pending first;
                if (unsynced.isEmpty()) {
                    first = queue.take();
                } else {
                    long wait = unsyncedSince + LAZY_SYNC_NANOS - System.nanoTime();
                    first = wait > 0 ? queue.poll(wait, TimeUnit.NANOSECONDS) : null;
                    if (first == null) {
                        syncLazy();
                        continue;
                    }
                }
                group.add(first);
            } catch (InterruptedException e) {
                continue;
            }
            queue.drainTo(group, MAX_GROUP - 1);
            if (group.get(group.size() - 1) == STOP) {
                group.remove(group.size() - 1);
                stop = true;
            }
            if (!group.isEmpty()) {
                commit(group);
            }
            group.clear();
        }
        if (!unsynced.isEmpty()) {
            syncLazy();
        }
    }

    private void commit(List<Pending> group) {
        int count = 0;
        boolean lazy = sync;
        for (Pending p : group) {
            count += p.ops().size();
            lazy &= p.lazy();
        }
        try (WriteBatch batch = new WriteBatch()) {
            BatchBuilder builder = new BatchBuilder(db, handles, state, batch);
            for (Pending p : group) {
                for (Op op : p.ops()) {
                    builder.plan(op);
                }
            }
            for (Pending p : group) {
                for (Op op : p.ops()) {
                    builder.apply(op);
                }
            }
            builder.finish();
            long begin = System.nanoTime();
            writer.write(lazy ? lazyOptions : writeOptions, batch);
            listener.committed(count, System.nanoTime() - begin);
            builder.publish();
        } catch (RocksDBException | RuntimeException e) {
            LOG.error("store write of {} commands failed; none of them is acknowledged", count, e);
            for (Pending p : group) {
                p.future().completeExceptionally(e);
            }
            return;
        }
        batches = batches + 1;
        commands = commands + count;
        if (lazy) {
            if (unsynced.isEmpty()) {
                unsyncedSince = System.nanoTime();
            }
            unsynced.addAll(group);
            return;
        }
        complete(unsynced, null);
        complete(group, null);
    }

    /** Syncs the WAL for the lazy groups written since the last sync, and completes them. */
    private void syncLazy() {
        try {
            db.syncWal();
            complete(unsynced, null);
        } catch (RocksDBException | RuntimeException e) {
            LOG.warn(
                    "WAL sync after {} lazily written groups failed; they may come back after a crash",
                    unsynced.size(),
                    e);
            complete(unsynced, e);
        }
    }

    private static void complete(List<Pending> pendings, @Nullable Throwable error) {
        for (Pending p : pendings) {
            if (error == null) {
                p.future().complete(null);
            } else {
                p.future().completeExceptionally(error);
            }
        }
        pendings.clear();
    }

    /** Batches committed so far; any thread. */
    long batches() {
        return batches;
    }

    /** Batches and commands committed so far; approximate when read from another thread. */
    String stats() {
        return batches + " batches, " + commands + " commands";
    }
}
