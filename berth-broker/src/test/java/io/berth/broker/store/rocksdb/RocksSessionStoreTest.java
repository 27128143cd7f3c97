package io.berth.broker.store.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.broker.store.QueueEntry;
import io.berth.broker.store.QueuedMessage;
import io.berth.broker.store.SessionStore;
import io.berth.broker.store.SessionStore.Recovery;
import io.berth.broker.store.SessionStoreContract;
import io.berth.broker.store.StoreCommand;
import io.berth.broker.store.StoreCommand.Dequeue;
import io.berth.broker.store.StoreCommand.Enqueue;
import io.berth.broker.store.StoreCommand.PutSession;
import io.berth.broker.store.StoredMessage;
import io.berth.codec.QoS;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.CompactionStyle;
import org.rocksdb.ConfigOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.FlushOptions;
import org.rocksdb.LevelMetaData;
import org.rocksdb.OptionsUtil;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Statistics;
import org.rocksdb.Status;
import org.rocksdb.TickerType;

class RocksSessionStoreTest extends SessionStoreContract {

    @Override
    protected SessionStore open(Path dir) throws IOException {
        return RocksSessionStore.open(dir, true);
    }

    @Override
    protected SessionStore restart() throws IOException {
        store.close();
        return open(dir);
    }

    /** Keys of a family, read with the store closed and opened again afterwards. */
    private long keys(Family family) throws IOException {
        store.close();
        long n;
        try (RocksDatabase db = RocksDatabase.open(dir)) {
            n = count(db, family);
        }
        store = open(dir);
        return n;
    }

    private static long count(RocksDatabase db, Family family) {
        long n = 0;
        try (RocksIterator it = db.db().newIterator(db.handles().get(family))) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                n++;
            }
        }
        return n;
    }

    @Test
    void fanOut_storesTheMessageOnce_andDeletesItWithTheLastReference() throws Exception {
        StoredMessage m = message(1, "t", "payload");
        commit(
                new PutSession(session("a")),
                new PutSession(session("b")),
                new PutSession(session("c")),
                enqueue("a", 0, m),
                enqueue("b", 0, m));
        commit(enqueue("c", 0, m));

        assertThat(keys(Family.MESSAGES)).isEqualTo(1);
        assertThat(keys(Family.REFS)).isEqualTo(1);

        commit(new Dequeue("a", 0, 1));
        commit(new Dequeue("b", 0, 1));
        assertThat(keys(Family.MESSAGES)).isEqualTo(1);

        commit(new Dequeue("c", 0, 1));
        assertThat(keys(Family.MESSAGES)).isZero();
        assertThat(keys(Family.REFS)).isZero();
    }

    @Test
    void deleteSession_releasesItsReferences() throws Exception {
        StoredMessage shared = message(1, "t", "shared");
        StoredMessage own = message(2, "t", "own");
        commit(
                new PutSession(session("a")),
                new PutSession(session("b")),
                enqueue("a", 0, shared),
                enqueue("b", 0, shared));
        commit(enqueue("a", 1, own));
        store = restart();

        commit(new StoreCommand.DeleteSession("a"));

        assertThat(keys(Family.MESSAGES)).isEqualTo(1);
        commit(new Dequeue("b", 0, 1));
        assertThat(keys(Family.MESSAGES)).isZero();
        assertThat(keys(Family.QUEUE)).isZero();
    }

    @Test
    void queueFamilies_compactUniversal_andFoldersMoveBetweenLevelAndUniversalCompaction() throws Exception {
        commit(new PutSession(session("a")));
        commit(enqueues("a", 0, 500));
        store.close();
        // as Berth before ADR 23 left a folder: the queue compacted by levels, out of level 0
        try (RocksDatabase db = RocksDatabase.open(dir, null, CompactionStyle.LEVEL)) {
            db.db().compactRange(db.handles().get(Family.QUEUE));
            assertThat(levelsHolding(db, Family.QUEUE)).isNotEmpty().doesNotContain(0);
        }
        store = open(dir);
        commit(enqueues("a", 500, 500));
        store.close();
        try (RocksDatabase db = RocksDatabase.open(dir);
                FlushOptions wait = new FlushOptions().setWaitForFlush(true)) {
            db.db().flush(wait, db.handles().get(Family.QUEUE));
            db.db().compactRange(db.handles().get(Family.QUEUE));
            assertThat(levelsHolding(db, Family.QUEUE)).hasSize(1);
        }
        store = open(dir);

        List<QueuedMessage> queue = store.readQueue("a", 0, Long.MAX_VALUE, 2_000);
        assertThat(queue).extracting(q -> q.entry().seq()).containsExactlyElementsOf(seqs(1_000));
        assertThat(new String(queue.get(999).message().payload(), StandardCharsets.UTF_8))
                .isEqualTo("m999");
        assertThat(compactionStyles())
                .containsEntry("queue", CompactionStyle.UNIVERSAL)
                .containsEntry("inflight", CompactionStyle.UNIVERSAL)
                .containsEntry("sessions", CompactionStyle.LEVEL)
                .containsEntry("messages", CompactionStyle.LEVEL);

        // and a Berth before ADR 23 still reads what universal compaction left
        store.close();
        try (RocksDatabase db = RocksDatabase.open(dir, null, CompactionStyle.LEVEL)) {
            assertThat(count(db, Family.QUEUE)).isEqualTo(1_000);
            db.db().compactRange(db.handles().get(Family.QUEUE));
        }
        store = open(dir);
        assertThat(store.readQueue("a", 0, Long.MAX_VALUE, 2_000)).hasSize(1_000);
    }

    private static StoreCommand[] enqueues(String clientId, int from, int count) {
        StoreCommand[] commands = new StoreCommand[count];
        for (int i = 0; i < count; i++) {
            int seq = from + i;
            commands[i] = enqueue(clientId, seq, message(seq + 1L, "t", "m" + seq));
        }
        return commands;
    }

    private static List<Long> seqs(int count) {
        List<Long> seqs = new ArrayList<>();
        for (long i = 0; i < count; i++) {
            seqs.add(i);
        }
        return seqs;
    }

    /** The levels of the LSM tree that hold table files of {@code family}. */
    private static List<Integer> levelsHolding(RocksDatabase db, Family family) {
        return db.db().getColumnFamilyMetaData(db.handles().get(family)).levels().stream()
                .filter(l -> !l.files().isEmpty())
                .map(LevelMetaData::level)
                .toList();
    }

    /** Each family's compaction style as the folder's latest OPTIONS file records it. */
    private Map<String, CompactionStyle> compactionStyles() throws RocksDBException {
        Map<String, CompactionStyle> styles = new HashMap<>();
        List<ColumnFamilyDescriptor> families = new ArrayList<>();
        try (ConfigOptions config = new ConfigOptions();
                DBOptions options = new DBOptions()) {
            OptionsUtil.loadLatestOptions(config, dir.toString(), options, families);
            for (ColumnFamilyDescriptor d : families) {
                styles.put(
                        new String(d.getName(), StandardCharsets.UTF_8),
                        d.getOptions().compactionStyle());
                d.getOptions().close();
            }
        }
        return styles;
    }

    @Test
    void secondOpen_ofTheSameFolder_failsWithAClearMessage() {
        assertThatThrownBy(() -> RocksSessionStore.open(dir, true))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("another Berth is using " + dir);
    }

    @Test
    void unknownFormatVersion_isRefused() throws Exception {
        store.close();
        try (RocksDatabase db = RocksDatabase.open(dir)) {
            db.db().put(db.handles().get(Family.META), Keys.FORMAT_VERSION, new byte[] {0, 0, 0, 99});
        }

        assertThatThrownBy(() -> RocksSessionStore.open(dir, true))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("has format version 99")
                .hasMessageContaining("reads format versions 1 and 2 only");
        store = open(dir.resolve("elsewhere"));
    }

    @Test
    void undecodableValue_isReportedWithFamilyKeyAndFolder() throws Exception {
        store.close();
        try (RocksDatabase db = RocksDatabase.open(dir)) {
            db.db().put(db.handles().get(Family.SESSIONS), Keys.client("bad"), new byte[] {7});
        }
        store = open(dir);

        assertThatThrownBy(() -> store.recover())
                .isInstanceOf(CorruptStoreException.class)
                .hasMessageContaining("column family 'sessions'")
                .hasMessageContaining(dir.toString())
                .hasMessageContaining("restore");
    }

    @Test
    void folderThatIsNoRocksDatabase_isRefusedWithTheFileNamed() throws Exception {
        store.close();
        java.nio.file.Files.writeString(dir.resolve("CURRENT"), "garbage\n");

        assertThatThrownBy(() -> RocksSessionStore.open(dir, true))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(dir.toString());
        store = open(dir.resolve("elsewhere"));
    }

    @Test
    void failedWrite_failsItsFutures_andLaterWritesWork() throws Exception {
        store.close();
        AtomicBoolean failing = new AtomicBoolean();
        store = RocksSessionStore.open(dir, true, direct -> (options, batch) -> {
            if (failing.get()) {
                throw new RocksDBException(
                        "injected: No space left on device",
                        new Status(Status.Code.IOError, Status.SubCode.NoSpace, "injected"));
            }
            direct.write(options, batch);
        });
        StoredMessage m = message(1, "t", "x");
        commit(new PutSession(session("c")), enqueue("c", 0, m));

        failing.set(true);
        CompletableFuture<Void> failed =
                store.submit(List.of(enqueue("c", 1, message(2, "t", "y")), new Dequeue("c", 0, 1)));
        assertThatThrownBy(() -> failed.get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasMessageContaining("injected");
        failing.set(false);

        commit(enqueue("c", 1, message(3, "t", "z")));
        Recovery r = store.recover();
        assertThat(only(r, "c").queuedCount()).isEqualTo(2);
        assertThat(store.readQueue("c", 0, 10, 10))
                .extracting(q -> q.message().id())
                .containsExactly(1L, 3L);

        commit(new Dequeue("c", 0, 1), new Dequeue("c", 1, 3));
        assertThat(keys(Family.MESSAGES)).isZero();
        assertThat(only(store.recover(), "c").queuedCount()).isZero();
    }

    @Test
    void submitAfterClose_failsTheFuture() {
        store.close();
        assertThat(store.submit(new PutSession(session("c")))).isCompletedExceptionally();
    }

    @Test
    void concurrentSubmitters_allComplete_andAllLand() throws Exception {
        int threads = 4;
        int perThread = 2_500;
        commit(
                new PutSession(session("c0")),
                new PutSession(session("c1")),
                new PutSession(session("c2")),
                new PutSession(session("c3")));
        List<Thread> workers = new ArrayList<>();
        List<CompletableFuture<Void>> futures = java.util.Collections.synchronizedList(new ArrayList<>());
        long start = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            String client = "c" + t;
            int base = t * perThread;
            workers.add(new Thread(() -> {
                for (int i = 0; i < perThread; i++) {
                    long id = base + i + 1;
                    futures.add(store.submit(enqueue(client, i, message(id, "t/" + client, "payload-" + id))));
                }
            }));
        }
        workers.forEach(Thread::start);
        for (Thread w : workers) {
            w.join();
        }
        CompletableFuture.allOf(futures.toArray(new CompletableFuture[0])).get(60, TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(
                "group commit, fsync: %d enqueues from %d threads in %.2f s = %.0f/s (%s)%n",
                threads * perThread,
                threads,
                seconds,
                threads * perThread / seconds,
                ((RocksSessionStore) store).stats());

        Recovery r = recoverAfterRestart();
        for (int t = 0; t < threads; t++) {
            assertThat(only(r, "c" + t).queuedCount()).isEqualTo(perThread);
            assertThat(store.readQueue("c" + t, 0, Long.MAX_VALUE, perThread + 1))
                    .hasSize(perThread);
        }
        assertThat(r.nextMessageId()).isEqualTo(threads * perThread + 1);
    }

    @Test
    void recover_readsCountersNotQueuedMessages() throws Exception {
        // -Dberth.recovery.sessions=10000 -Dberth.recovery.perSession=100 measures a million
        int sessions = Integer.getInteger("berth.recovery.sessions", 100);
        int perSession = Integer.getInteger("berth.recovery.perSession", 1_000);
        byte[] payload = new byte[100];
        store.close();
        store = RocksSessionStore.open(dir, false);
        long id = 1;
        for (int s = 0; s < sessions; s++) {
            List<StoreCommand> batch = new ArrayList<>();
            batch.add(new PutSession(session("client-" + s)));
            for (int i = 0; i < perSession; i++, id++) {
                StoredMessage m = new StoredMessage(
                        id, "t/" + s, payload, QoS.AT_LEAST_ONCE, false, io.berth.codec.MqttProperties.EMPTY, 0, "p");
                batch.add(new Enqueue("client-" + s, new QueueEntry(i, id, QoS.AT_LEAST_ONCE, false, List.of()), m));
            }
            store.submit(batch).get(60, TimeUnit.SECONDS);
        }
        store.close();

        try (Statistics stats = new Statistics()) {
            long openStart = System.nanoTime();
            store = RocksSessionStore.open(dir, true, w -> w, stats);
            long recoverStart = System.nanoTime();
            Recovery r = store.recover();
            long end = System.nanoTime();
            long bytesRead =
                    stats.getTickerCount(TickerType.ITER_BYTES_READ) + stats.getTickerCount(TickerType.BYTES_READ);
            System.out.printf(
                    "recovery of %d queued messages in %d sessions: open %.1f ms, recover %.1f ms, %d bytes read%n",
                    sessions * perSession,
                    sessions,
                    (recoverStart - openStart) / 1e6,
                    (end - recoverStart) / 1e6,
                    bytesRead);

            assertThat(r.sessions()).hasSize(sessions);
            assertThat(r.sessions()).allSatisfy(s -> assertThat(s.queuedCount()).isEqualTo(perSession));
            // what is read grows with sessions (a few rows of each), not with the messages queued
            assertThat(bytesRead).isLessThan(sessions * 512L);
            store.close();
        }
    }

    @Test
    void groupCommit_closedLoopSubmitters_rateWithFsyncAndOs() throws Exception {
        for (boolean sync : new boolean[] {true, false}) {
            store.close();
            store = RocksSessionStore.open(dir.resolve(sync ? "fsync" : "os"), sync);
            int threads = 64;
            int perThread = 200;
            java.util.concurrent.atomic.AtomicLong ids = new java.util.concurrent.atomic.AtomicLong();
            List<Thread> workers = new ArrayList<>();
            long start = System.nanoTime();
            for (int t = 0; t < threads; t++) {
                String client = "client-" + t;
                workers.add(new Thread(() -> {
                    for (int i = 0; i < perThread; i++) {
                        // like a QoS 1 publisher waiting for its PUBACK: one enqueue, wait until durable, next
                        store.submit(enqueue(client, i, message(ids.incrementAndGet(), "t", "0123456789")))
                                .join();
                    }
                }));
            }
            workers.forEach(Thread::start);
            for (Thread w : workers) {
                w.join();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf(
                    "closed loop, %s: %d submitters x %d enqueues in %.2f s = %.0f durable enqueues/s (%s)%n",
                    sync ? "fsync" : "os",
                    threads,
                    perThread,
                    seconds,
                    threads * perThread / seconds,
                    ((RocksSessionStore) store).stats());
            assertThat(store.readQueue("client-0", 0, Long.MAX_VALUE, perThread + 1))
                    .hasSize(perThread);
        }
    }
}
