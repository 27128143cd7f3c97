package io.berth.broker.store.rocksdb;

import io.berth.broker.store.CommitListener;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit. Submitters put their encoded ops on a queue; one thread takes everything that is
 * waiting (up to {@link #MAX_GROUP}) whenever it is free, and writes it as one {@link WriteBatch}. While
 * a batch is on its way to disk, new submissions pile up and become the next, larger batch: batches grow
 * with the load by themselves, and an idle committer blocks on the queue with no timer.
 *
 * <p>With durability {@code fsync} the WAL sync is pipelined ({@code docs/adr/0010-pipelined-wal-sync.md}):
 * each batch is written without a sync and handed to the {@link WalSyncer}, which syncs the WAL and
 * then completes the futures, while this thread already writes the next batch. Without it (durability
 * {@code os}) the futures complete as soon as the write returned.
 *
 * <p>A group made of lazy ops only ({@link Op#lazy}: dequeues) is not handed to the syncer by itself.
 * Its futures complete when a later group's sync covers it (the WAL is written in order, and a sync
 * covers everything written before it) or, at most {@link #LAZY_SYNC_MILLIS} after the first of them
 * was written, after a sync of their own. Nobody waits for a dequeue to acknowledge anything, so that
 * delay costs nothing, and a long run of dequeues alone costs one sync per interval.
 *
 * <p>A failed write (I/O error, disk full) completes the futures of that batch exceptionally and leaves
 * the committer's state as the disk is; the next batch is written afresh. After a failed WAL sync
 * nothing more is written ({@link WalSyncer}).
 *
 * <p>Threading: the committer thread owns the write batch, the {@link CommitterState} and every write
 * to the database. Futures complete on the syncer's thread (on this one without a sync): dependents
 * must hand their work to their own executor rather than run on it.
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
    private final WriteOptions unsyncedWrites;
    private final WalSyncer syncer;
    private final List<Pending> unsynced = new ArrayList<>();
    private long unsyncedSince;
    private final BatchWriter writer;
    private final Thread thread;
    private final CommitListener listener;
    private final Object lifecycle = new Object();
    private boolean stopping;
    private volatile long batches;
    private volatile long commands;

    /**
     * @param unsyncedWrites write options without sync: every batch is written with them
     * @param wal syncs the WAL for durability {@code fsync}; null for durability {@code os}
     */
    Committer(
            RocksDB db,
            Handles handles,
            CommitterState state,
            WriteOptions unsyncedWrites,
            WalSync wal,
            BatchWriter writer,
            String name,
            CommitListener listener) {
        if (unsyncedWrites.sync()) {
            throw new IllegalArgumentException("the committer writes without sync; the WAL syncer syncs");
        }
        this.listener = listener;
        this.db = db;
        this.handles = handles;
        this.state = state;
        this.unsyncedWrites = unsyncedWrites;
        this.syncer = wal == null ? null : new WalSyncer(wal, name + "-sync", listener);
        this.writer = writer;
        this.thread = new Thread(this, name);
        this.thread.setDaemon(true);
    }

    void start() {
        if (syncer != null) {
            syncer.start();
        }
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
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (syncer != null) {
            syncer.stop();
        }
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
                        handOver(new ArrayList<>(), 0);
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
            handOver(new ArrayList<>(), 0);
        }
    }

    private void commit(List<Pending> group) {
        int count = 0;
        boolean lazy = syncer != null;
        for (Pending p : group) {
            count += p.ops().size();
            lazy &= p.lazy();
        }
        Throwable broken = syncer == null ? null : syncer.failure();
        if (broken != null) {
            complete(
                    group, new IllegalStateException("the store takes no more writes after a failed WAL sync", broken));
            return;
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
            writer.write(unsyncedWrites, batch);
            if (syncer == null) {
                listener.committed(count, System.nanoTime() - begin);
            }
            builder.publish();
        } catch (RocksDBException | RuntimeException e) {
            LOG.error("store write of {} commands failed; none of them is acknowledged", count, e);
            complete(group, e);
            return;
        }
        batches = batches + 1;
        commands = commands + count;
        if (syncer == null) {
            complete(group, null);
        } else if (lazy) {
            if (unsynced.isEmpty()) {
                unsyncedSince = System.nanoTime();
            }
            unsynced.addAll(group);
        } else {
            handOver(new ArrayList<>(group), count);
        }
    }

    /** Hands the lazy groups written so far and then {@code groups} to the syncer, in write order. */
    private void handOver(List<Pending> groups, int count) {
        int commandsOfLazy = 0;
        for (Pending p : unsynced) {
            commandsOfLazy += p.ops().size();
        }
        List<Pending> written = new ArrayList<>(unsynced.size() + groups.size());
        written.addAll(unsynced);
        written.addAll(groups);
        unsynced.clear();
        syncer.add(written, commandsOfLazy + count);
    }

    static void complete(List<Pending> pendings, Throwable error) {
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

    /** Batches, commands and WAL syncs so far; approximate when read from another thread. */
    String stats() {
        return batches + " batches, " + commands + " commands"
                + (syncer == null ? "" : ", " + syncer.syncs() + " WAL syncs");
    }
}
