package io.berth.broker.store.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The memtables are flushed to SST files on request; the periodic flusher stops when the store closes. */
class MemtableFlusherTest {
    @TempDir
    Path dir;

    private static long sstFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".sst"))
                    .count();
        }
    }

    @Test
    void flushAll_writesWhatTheMemtablesHoldToSstFiles() throws Exception {
        try (RocksDatabase db = RocksDatabase.open(dir)) {
            MemtableFlusher flusher = new MemtableFlusher(db.db(), db.allHandles(), dir, () -> 0);
            db.db().put(db.handles().get(Family.RETAINED), "t/1".getBytes(), new byte[100]);
            assertThat(sstFiles(dir)).isZero();

            flusher.flushAll();

            assertThat(sstFiles(dir)).isPositive(); // one per family that held something
        }
    }

    @Test
    void stop_endsTheFlushThreadBeforeItsFirstRound_andAgainIsHarmless() throws Exception {
        try (RocksDatabase db = RocksDatabase.open(dir)) {
            long[] batches = {0};
            MemtableFlusher flusher = new MemtableFlusher(db.db(), db.allHandles(), dir, () -> ++batches[0]);
            db.db().put(db.handles().get(Family.RETAINED), "t/1".getBytes(), new byte[100]);
            flusher.start();

            flusher.stop(); // returns once the thread has ended
            flusher.stop();

            // the thread read the batch count when it started, then stopped without a round: nothing flushed
            assertThat(batches[0]).isLessThanOrEqualTo(1);
            assertThat(sstFiles(dir)).isZero();
        }
    }
}
