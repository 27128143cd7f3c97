package io.berth.broker.store.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.berth.broker.store.QueueEntry;
import io.berth.broker.store.QueuedMessage;
import io.berth.broker.store.SessionRecord;
import io.berth.broker.store.StoreCommand;
import io.berth.broker.store.StoreCommand.Enqueue;
import io.berth.broker.store.StoreCommand.PutSession;
import io.berth.broker.store.StoredMessage;
import io.berth.codec.MqttProperties;
import io.berth.codec.MqttVersion;
import io.berth.codec.QoS;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.RocksDBException;
import org.rocksdb.Status;

/**
 * The pipelined WAL sync of durability {@code fsync} (ADR 10): the committer writes the next batch while
 * the WAL sync of the previous one runs, no future completes before a sync that began after its batch
 * was written, and a failed sync fails its batches and everything after them.
 */
class PipelinedSyncTest {
    @TempDir
    Path dir;

    private RocksSessionStore store;

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
        }
    }

    private static Enqueue enqueue(String clientId, long seq, long messageId) {
        StoredMessage m = new StoredMessage(
                messageId,
                "t",
                ("m" + messageId).getBytes(StandardCharsets.UTF_8),
                QoS.AT_LEAST_ONCE,
                false,
                MqttProperties.EMPTY,
                1_000L,
                "pub");
        return new Enqueue(clientId, new QueueEntry(seq, messageId, QoS.AT_LEAST_ONCE, false, List.of()), m);
    }

    private static PutSession session(String clientId) {
        return new PutSession(new SessionRecord(clientId, MqttVersion.V5, SessionRecord.NEVER_EXPIRES, 0, null, ""));
    }

    private void commit(StoreCommand... commands) throws Exception {
        store.submit(List.of(commands)).get(10, TimeUnit.SECONDS);
    }

    private List<Long> queuedIds(String clientId) {
        return store.readQueue(clientId, 0, Long.MAX_VALUE, 100).stream()
                .map(QueuedMessage::message)
                .map(StoredMessage::id)
                .toList();
    }

    @Test
    void nextBatch_isWrittenWhileTheSyncRuns_andNoFutureCompletesBeforeASyncBegunAfterItsWrite() throws Exception {
        AtomicInteger written = new AtomicInteger();
        AtomicInteger syncsBegun = new AtomicInteger();
        AtomicBoolean hold = new AtomicBoolean();
        CountDownLatch release = new CountDownLatch(1);
        store = RocksSessionStore.open(
                dir,
                true,
                direct -> (options, batch) -> {
                    assertThat(options.sync())
                            .as("batches are written without a sync")
                            .isFalse();
                    direct.write(options, batch);
                    written.incrementAndGet();
                },
                direct -> () -> {
                    syncsBegun.incrementAndGet();
                    if (hold.get()) {
                        try {
                            release.await(10, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                    direct.sync();
                });
        commit(session("c"));
        int writtenBefore = written.get();
        int syncsBefore = syncsBegun.get();

        hold.set(true);
        CompletableFuture<Void> first = store.submit(enqueue("c", 0, 1));
        await().atMost(Duration.ofSeconds(10)).until(() -> syncsBegun.get() == syncsBefore + 1);
        CompletableFuture<Void> second = store.submit(enqueue("c", 1, 2));
        await().atMost(Duration.ofSeconds(10)).until(() -> written.get() == writtenBefore + 2);

        assertThat(first).as("its sync has not returned").isNotDone();
        assertThat(second).as("written after the running sync began").isNotDone();
        hold.set(false);
        release.countDown();
        first.get(10, TimeUnit.SECONDS);
        second.get(10, TimeUnit.SECONDS);
        assertThat(syncsBegun.get())
                .as("the second batch waited for a sync of its own")
                .isEqualTo(syncsBefore + 2);

        store.close();
        store = RocksSessionStore.open(dir, true);
        assertThat(queuedIds("c")).containsExactly(1L, 2L);
    }

    @Test
    void failedSync_failsTheBatchItCovers_andEveryLaterOne_andKeepsWhatWasSyncedBefore() throws Exception {
        AtomicBoolean failing = new AtomicBoolean();
        store = RocksSessionStore.open(dir, true, UnaryOperator.identity(), direct -> () -> {
            if (failing.get()) {
                throw new RocksDBException(
                        "injected: Input/output error",
                        new Status(Status.Code.IOError, Status.SubCode.None, "injected"));
            }
            direct.sync();
        });
        commit(session("c"), enqueue("c", 0, 1));

        failing.set(true);
        CompletableFuture<Void> failed = store.submit(enqueue("c", 1, 2));
        assertThatThrownBy(() -> failed.get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasMessageContaining("injected");
        failing.set(false);
        CompletableFuture<Void> later = store.submit(enqueue("c", 2, 3));
        assertThatThrownBy(() -> later.get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasMessageContaining("failed WAL sync");

        store.close();
        store = RocksSessionStore.open(dir, true);
        // the failed batch was written before its sync failed, so it may be there (never acknowledged);
        // the one refused after it was never written
        assertThat(queuedIds("c")).startsWith(1L).doesNotContain(3L);
        commit(enqueue("c", 2, 4));
        assertThat(queuedIds("c")).contains(1L, 4L);
    }
}
