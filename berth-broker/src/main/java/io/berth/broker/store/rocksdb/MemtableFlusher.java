package io.berth.broker.store.rocksdb;

import java.nio.file.Path;
import java.util.List;
import java.util.function.LongSupplier;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.FlushOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Flushes the memtables every {@link #INTERVAL_MILLIS} when something was written since the last flush,
 * so that a start after a SIGKILL replays at most that much of the WAL (RocksDB also flushes whenever the
 * memtables or the WAL reach their caps). A flush is thread-safe: the committer goes on writing meanwhile.
 *
 * <p>Threading: the periodic flushes run on a thread of its own ({@code berth-store-flush}); {@link
 * #start} and {@link #stop} are called by the store's opener and closer, and {@link #stopping} is guarded
 * by {@link #lock}. {@link #flushAll} runs on the calling thread.
 */
final class MemtableFlusher {
    private static final Logger LOG = LoggerFactory.getLogger(MemtableFlusher.class);

    /** How often the memtables are flushed when something was written. */
    static final long INTERVAL_MILLIS = 10_000;

    private final RocksDB db;
    private final List<ColumnFamilyHandle> families;
    private final Path dir;
    /** How many batches were written since open: the flusher flushes when it moved. */
    private final LongSupplier batches;

    private final Thread thread;
    private final Object lock = new Object();
    private boolean stopping;

    MemtableFlusher(RocksDB db, List<ColumnFamilyHandle> families, Path dir, LongSupplier batches) {
        this.db = db;
        this.families = families;
        this.dir = dir;
        this.batches = batches;
        this.thread = new Thread(this::flushPeriodically, "berth-store-flush");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Stops the periodic flushes and waits for one under way; idempotent. */
    void stop() {
        synchronized (lock) {
            stopping = true;
            lock.notifyAll();
        }
        Uninterruptibly.join(thread);
    }

    /** Flushes the memtables of every family now, and waits for it. */
    void flushAll() throws RocksDBException {
        try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
            db.flush(flush, families);
        }
    }

    private void flushPeriodically() {
        long flushedAt = batches.getAsLong();
        while (true) {
            synchronized (lock) {
                long until = System.currentTimeMillis() + INTERVAL_MILLIS;
                for (long now; !stopping && (now = System.currentTimeMillis()) < until; ) {
                    try {
                        lock.wait(until - now);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (stopping) {
                    return;
                }
            }
            long written = batches.getAsLong();
            if (written != flushedAt) {
                flushedAt = written;
                try {
                    flushAll();
                } catch (RocksDBException e) {
                    LOG.warn("periodic flush of the store in {} failed; the WAL still holds everything", dir, e);
                }
            }
        }
    }
}
