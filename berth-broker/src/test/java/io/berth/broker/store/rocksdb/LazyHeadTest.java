package io.berth.broker.store.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.broker.store.InflightRecord;
import io.berth.broker.store.QueueEntry;
import io.berth.broker.store.RecoveredSession;
import io.berth.broker.store.SessionRecord;
import io.berth.broker.store.StoreCommand;
import io.berth.broker.store.StoreCommand.Dequeue;
import io.berth.broker.store.StoreCommand.Enqueue;
import io.berth.broker.store.StoreCommand.PutInflight;
import io.berth.broker.store.StoreCommand.PutSession;
import io.berth.broker.store.StoredMessage;
import io.berth.codec.MqttProperties;
import io.berth.codec.MqttVersion;
import io.berth.codec.QoS;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Statistics;
import org.rocksdb.Status;
import org.rocksdb.TickerType;

/**
 * The authoritative queue head of the RocksDB store: dequeues that read nothing and delete nothing at
 * the head, out-of-order dequeues, rows below the head that recovery ignores, range deletes, and
 * batches of dequeues written without a sync of their own.
 */
class LazyHeadTest {
    @TempDir
    Path dir;

    private RocksSessionStore store;

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
        }
    }

    private static StoredMessage message(long id) {
        return new StoredMessage(
                id,
                "t",
                ("m" + id).getBytes(StandardCharsets.UTF_8),
                QoS.AT_LEAST_ONCE,
                false,
                MqttProperties.EMPTY,
                1_000L,
                "pub");
    }

    private static Enqueue enqueue(String clientId, long seq, long messageId) {
        return new Enqueue(
                clientId, new QueueEntry(seq, messageId, QoS.AT_LEAST_ONCE, false, List.of()), message(messageId));
    }

    /** A dequeue that describes its entry, as a session does when its subscriber acknowledges. */
    private static Dequeue ack(String clientId, long seq, long messageId) {
        return new Dequeue(clientId, seq, messageId, message(messageId).sizeBytes());
    }

    private void commit(StoreCommand... commands) throws Exception {
        store.submit(List.of(commands)).get(10, TimeUnit.SECONDS);
    }

    /** Acknowledges seqs [from, to) in order, one submission each, as a subscriber would. */
    private void acks(String c, int from, int to) throws Exception {
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (int seq = from; seq < to; seq++) {
            all.add(store.submit(ack(c, seq, seq + 1)));
        }
        CompletableFuture.allOf(all.toArray(new CompletableFuture[0])).get(30, TimeUnit.SECONDS);
    }

    private void open() throws IOException {
        store = RocksSessionStore.open(dir, true);
    }

    /** Opens {@code c} with messages 1..n at seqs 0..n-1. */
    private void fill(String c, int n) throws Exception {
        List<StoreCommand> commands = new ArrayList<>();
        commands.add(new PutSession(new SessionRecord(c, MqttVersion.V5, SessionRecord.NEVER_EXPIRES, 0, null, "")));
        for (int i = 0; i < n; i++) {
            commands.add(enqueue(c, i, i + 1));
        }
        store.submit(commands).get(10, TimeUnit.SECONDS);
    }

    private RecoveredSession restartAndRecover(String c) throws IOException {
        store.close();
        open();
        return store.recover().sessions().stream()
                .filter(s -> s.record().clientId().equals(c))
                .findFirst()
                .orElseThrow();
    }

    private long rows(Family family) throws IOException {
        store.close();
        long n = 0;
        try (RocksDatabase db = RocksDatabase.open(dir);
                RocksIterator it = db.db().newIterator(db.handles().get(family))) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                n++;
            }
        }
        open();
        return n;
    }

    private List<Long> queued(String c) {
        return store.readQueue(c, 0, Long.MAX_VALUE, 1_000).stream()
                .map(q -> q.entry().seq())
                .toList();
    }

    @Test
    void describedDequeues_readNothing() throws Exception {
        open();
        fill("c", 10);
        store.close();
        try (Statistics stats = new Statistics()) {
            store = RocksSessionStore.open(dir, true, UnaryOperator.identity(), stats);
            commit(enqueue("c", 10, 11), enqueue("c", 11, 12), enqueue("c", 12, 13));
            long before = stats.getTickerCount(TickerType.NUMBER_KEYS_READ);

            commit(ack("c", 10, 11));
            commit(ack("c", 12, 13), ack("c", 11, 12));

            assertThat(stats.getTickerCount(TickerType.NUMBER_KEYS_READ) - before)
                    .as("point reads for dequeues of entries written in this run")
                    .isZero();
        }
    }

    @Test
    void rowsBelowTheHead_areNeitherReadNorRecovered_evenWithInflightRows() throws Exception {
        open();
        fill("c", 5);
        commit(
                new PutInflight("c", new InflightRecord(0, 10, true)),
                new PutInflight("c", new InflightRecord(1, 11, false)));
        commit(ack("c", 0, 1), ack("c", 1, 2));

        assertThat(queued("c")).containsExactly(2L, 3L, 4L);
        RecoveredSession s = restartAndRecover("c");
        assertThat(s.queueHead()).isEqualTo(2);
        assertThat(s.queuedCount()).isEqualTo(3);
        assertThat(s.inflight()).isEmpty();
        assertThat(queued("c")).containsExactly(2L, 3L, 4L);
    }

    @Test
    void outOfOrderDequeues_thenTheHead_moveTheHeadOverAll() throws Exception {
        open();
        fill("c", 6);
        commit(ack("c", 2, 3));
        commit(ack("c", 1, 2), ack("c", 4, 5));
        commit(ack("c", 0, 1));

        RecoveredSession s = restartAndRecover("c");
        assertThat(s.queueHead()).isEqualTo(3);
        assertThat(s.queueTail()).isEqualTo(6);
        assertThat(s.queuedCount()).isEqualTo(2);
        assertThat(s.queuedBytes()).isEqualTo(2L * message(4).sizeBytes());
        assertThat(queued("c")).containsExactly(3L, 5L);
    }

    @Test
    void afterRestart_theHeadMovesOverEntriesDeletedOutOfOrderBefore() throws Exception {
        open();
        fill("c", 6);
        commit(ack("c", 2, 3), ack("c", 3, 4));
        restartAndRecover("c");

        commit(ack("c", 0, 1));
        commit(ack("c", 1, 2));
        commit(ack("c", 3, 4), ack("c", 2, 3));

        RecoveredSession s = restartAndRecover("c");
        assertThat(s.queueHead()).isEqualTo(4);
        assertThat(s.queuedCount()).isEqualTo(2);
        assertThat(s.queuedBytes()).isEqualTo(2L * message(5).sizeBytes());
        assertThat(queued("c")).containsExactly(4L, 5L);
    }

    @Test
    void enqueueCommittedAfterTheHeadPassedItsGap_isKept() throws Exception {
        open();
        fill("c", 1);
        commit(enqueue("c", 2, 3));
        commit(ack("c", 0, 1));
        commit(enqueue("c", 1, 2));

        assertThat(queued("c")).containsExactly(1L, 2L);
        RecoveredSession s = restartAndRecover("c");
        assertThat(s.queueHead()).isEqualTo(1);
        assertThat(s.queuedCount()).isEqualTo(2);
        assertThat(queued("c")).containsExactly(1L, 2L);
    }

    @Test
    void rowsBelowTheHead_areReclaimedWithRangeDeletes() throws Exception {
        open();
        int n = (int) QueueState.RECLAIM_EVERY + 100;
        fill("c", n);
        acks("c", 0, (int) QueueState.RECLAIM_EVERY);
        assertThat(rows(Family.QUEUE)).isEqualTo(100);

        acks("c", (int) QueueState.RECLAIM_EVERY, n);
        assertThat(rows(Family.QUEUE)).isZero();
        assertThat(rows(Family.MESSAGES)).isZero();
        assertThat(rows(Family.REFS)).isZero();
    }

    @Test
    void deleteSession_afterDequeuesAtTheHead_releasesOnlyWhatIsQueued() throws Exception {
        open();
        fill("a", 4);
        fill("b", 0);
        commit(enqueue("a", 4, 10), enqueue("b", 0, 10));
        commit(ack("a", 0, 1), ack("a", 1, 2));
        commit(new StoreCommand.DeleteSession("a"));

        assertThat(rows(Family.MESSAGES)).as("the message shared with b").isEqualTo(1);
        assertThat(rows(Family.REFS)).isEqualTo(1);
        assertThat(store.readQueue("b", 0, 10, 10))
                .extracting(q -> q.message().id())
                .containsExactly(10L);
        commit(ack("b", 0, 10));
        assertThat(rows(Family.MESSAGES)).isZero();
    }

    @Test
    void batchOfDequeuesOnly_isWrittenWithoutSync_andCompletesAfterOne() throws Exception {
        AtomicInteger synced = new AtomicInteger();
        AtomicInteger unsynced = new AtomicInteger();
        store = RocksSessionStore.open(dir, true, direct -> (options, batch) -> {
            (options.sync() ? synced : unsynced).incrementAndGet();
            direct.write(options, batch);
        });
        fill("c", 3);
        int syncedBefore = synced.get();

        CompletableFuture<Void> lazy = store.submit(ack("c", 0, 1));
        lazy.get(10, TimeUnit.SECONDS);
        assertThat(unsynced.get()).isEqualTo(1);
        assertThat(synced.get()).isEqualTo(syncedBefore);

        commit(ack("c", 1, 2), enqueue("c", 3, 4));
        assertThat(synced.get()).isEqualTo(syncedBefore + 1);
        assertThat(restartAndRecover("c").queueHead()).isEqualTo(2);
    }

    @Test
    void failedLazyWrite_failsItsFuture_andChangesNothing() throws Exception {
        AtomicBoolean failing = new AtomicBoolean();
        store = RocksSessionStore.open(dir, true, direct -> (options, batch) -> {
            if (failing.get()) {
                throw new RocksDBException(
                        "injected: No space left on device",
                        new Status(Status.Code.IOError, Status.SubCode.NoSpace, "injected"));
            }
            direct.write(options, batch);
        });
        fill("c", 3);

        failing.set(true);
        CompletableFuture<Void> failed = store.submit(ack("c", 0, 1));
        assertThatThrownBy(() -> failed.get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasMessageContaining("injected");
        failing.set(false);
        assertThat(queued("c")).containsExactly(0L, 1L, 2L);

        commit(ack("c", 1, 2));
        commit(ack("c", 0, 1));
        RecoveredSession s = restartAndRecover("c");
        assertThat(s.queueHead()).isEqualTo(2);
        assertThat(s.queuedCount()).isEqualTo(1);
    }
}
