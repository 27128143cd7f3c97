package io.berth.broker.store.rocksdb;

import io.berth.broker.store.CommitListener;
import io.berth.broker.store.rocksdb.Committer.Pending;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import org.rocksdb.RocksDBException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The second stage of the fsync pipeline ({@code docs/adr/0010-pipelined-wal-sync.md}): the
 * {@link Committer} writes each group to the WAL and the memtables without a sync and hands it here;
 * this thread takes every group handed over since its last sync, syncs the WAL once ({@link WalSync}),
 * and only then completes their futures, in the order they were written. While it syncs, the committer
 * writes the next groups, which the next sync covers. A sync covers every group handed over before it
 * began, since each was written (its WAL record given to the operating system) before it was handed over.
 *
 * <p>A failed sync fails the groups it covered, and every group after them: their records follow
 * the unsynced ones in the WAL, and a start after a crash replays the WAL only up to its first gap, so
 * no later sync could make them durable. The store then takes no more writes until the broker restarts
 * (RocksDB itself refuses writes after a WAL I/O error).
 *
 * <p>Threading: its own thread owns the queue's consumer side and completes the futures; {@link #add}
 * from the committer thread; {@link #failure} from any thread.
 */
final class WalSyncer implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(WalSyncer.class);

    /** Groups written by one commit (lazy groups written before it included), and their command count. */
    private record Written(List<Pending> groups, int commands) {}

    private static final Written STOP = new Written(List.of(), 0);

    private final LinkedBlockingQueue<Written> queue = new LinkedBlockingQueue<>();
    private final WalSync wal;
    private final CommitListener listener;
    private final Thread thread;
    private volatile Throwable failure;
    private volatile long syncs;

    WalSyncer(WalSync wal, String name, CommitListener listener) {
        this.wal = wal;
        this.listener = listener;
        this.thread = new Thread(this, name);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Hands over groups written to the WAL, to be completed after the next sync; the committer thread. */
    void add(List<Pending> groups, int commands) {
        queue.add(new Written(groups, commands));
    }

    /** The failure of an earlier sync, after which nothing more is acknowledged; null while none. */
    Throwable failure() {
        return failure;
    }

    /** WAL syncs done so far. */
    long syncs() {
        return syncs;
    }

    /** Syncs and completes what was handed over, then stops the thread; after the committer stopped. */
    void stop() {
        queue.add(STOP);
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
    }

    @Override
    public void run() {
        List<Written> taken = new ArrayList<>();
        boolean stop = false;
        while (!stop) {
            try {
                taken.add(queue.take());
            } catch (InterruptedException e) {
                continue;
            }
            queue.drainTo(taken);
            if (taken.get(taken.size() - 1) == STOP) {
                taken.remove(taken.size() - 1);
                stop = true;
            }
            if (!taken.isEmpty()) {
                sync(taken);
            }
            taken.clear();
        }
    }

    private void sync(List<Written> taken) {
        int commands = 0;
        for (Written w : taken) {
            commands += w.commands();
        }
        Throwable error = failure;
        if (error == null) {
            long begin = System.nanoTime();
            try {
                wal.sync();
                syncs = syncs + 1;
                listener.committed(commands, System.nanoTime() - begin);
            } catch (RocksDBException | RuntimeException e) {
                LOG.error(
                        "WAL sync of {} written commands failed; none of them nor anything after them is"
                                + " acknowledged, and the store takes no more writes until Berth restarts",
                        commands,
                        e);
                failure = e;
                error = e;
            }
        }
        for (Written w : taken) {
            Committer.complete(w.groups(), error);
        }
    }
}
