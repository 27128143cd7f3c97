package io.berth.broker.store.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.broker.store.QueueEntry;
import io.berth.broker.store.QueuedMessage;
import io.berth.broker.store.RecoveredSession;
import io.berth.broker.store.SessionRecord;
import io.berth.broker.store.SessionStore.Recovery;
import io.berth.broker.store.StoreCommand;
import io.berth.broker.store.StoreCommand.Dequeue;
import io.berth.broker.store.StoreCommand.Enqueue;
import io.berth.broker.store.StoredMessage;
import io.berth.codec.MqttProperties;
import io.berth.codec.MqttVersion;
import io.berth.codec.QoS;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

/**
 * A store of format version 1, written byte by byte as {@code docs/storage-format.md} described format 1,
 * opened by this Berth: migrated in place, every session and queued message read back, shared messages
 * released with their last reference, and new messages written inline.
 */
class FormatV1Test {
    @TempDir
    Path dir;

    private RocksSessionStore store;

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
        }
    }

    private static StoredMessage message(long id, String payload) {
        return new StoredMessage(
                id,
                "t/v1",
                payload.getBytes(StandardCharsets.UTF_8),
                QoS.AT_LEAST_ONCE,
                false,
                MqttProperties.builder().messageExpiryInterval(60L).build(),
                1_000L,
                "pub");
    }

    /** A queue entry as format 1 wrote it: layout 1, no inline flag. */
    private static byte[] entryV1(long messageId, int size, QoS qos) {
        return new ByteWriter(16)
                .u8(1)
                .u64(messageId)
                .u32(size)
                .u8(qos.value())
                .u8(0)
                .varint(0)
                .toByteArray();
    }

    private static byte[] counters(long head, long tail, long count, long bytes) {
        return new ByteWriter(33)
                .u8(1)
                .u64(head)
                .u64(tail)
                .u64(count)
                .u64(bytes)
                .toByteArray();
    }

    /**
     * Client "a" queues messages 1 (shared with "b"), 2 and 3 at seqs 5, 6, 7 (5 earlier acknowledged out of
     * order left the head hint at 4); client "b" queues message 1 at seq 0.
     */
    private void writeV1Store() throws IOException, RocksDBException {
        StoredMessage m1 = message(1, "shared");
        StoredMessage m2 = message(2, "two");
        StoredMessage m3 = message(3, "three");
        try (RocksDatabase db = RocksDatabase.open(dir)) {
            var h = db.handles();
            var r = db.db();
            r.put(h.get(Family.META), Keys.FORMAT_VERSION, new byte[] {0, 0, 0, 1});
            r.put(h.get(Family.META), Keys.MAX_MESSAGE_ID, Values.u64(3));
            for (String c : List.of("a", "b")) {
                r.put(
                        h.get(Family.SESSIONS),
                        Keys.client(c),
                        Values.session(new SessionRecord(c, MqttVersion.V5, SessionRecord.NEVER_EXPIRES, 0, null, "")));
            }
            byte[] a = Keys.client("a");
            long bytesA = m1.sizeBytes() + m2.sizeBytes() + m3.sizeBytes();
            r.put(h.get(Family.COUNTERS), a, counters(4, 8, 3, bytesA));
            r.put(h.get(Family.QUEUE), Keys.withSeq(a, 5), entryV1(1, m1.sizeBytes(), QoS.AT_LEAST_ONCE));
            r.put(h.get(Family.QUEUE), Keys.withSeq(a, 6), entryV1(2, m2.sizeBytes(), QoS.AT_LEAST_ONCE));
            r.put(h.get(Family.QUEUE), Keys.withSeq(a, 7), entryV1(3, m3.sizeBytes(), QoS.EXACTLY_ONCE));
            r.put(h.get(Family.INFLIGHT), Keys.withSeq(a, 5), new byte[] {1, 0, 42, 0});
            byte[] b = Keys.client("b");
            r.put(h.get(Family.COUNTERS), b, counters(0, 1, 1, m1.sizeBytes()));
            r.put(h.get(Family.QUEUE), Keys.withSeq(b, 0), entryV1(1, m1.sizeBytes(), QoS.AT_LEAST_ONCE));
            r.put(h.get(Family.MESSAGES), Keys.message(1), Values.message(m1));
            r.put(h.get(Family.REFS), Keys.message(1), Values.u64(2));
            r.put(h.get(Family.MESSAGES), Keys.message(2), Values.message(m2));
            r.put(h.get(Family.REFS), Keys.message(2), Values.u64(1));
            r.put(h.get(Family.MESSAGES), Keys.message(3), Values.message(m3));
            r.put(h.get(Family.REFS), Keys.message(3), Values.u64(1));
        }
    }

    private void commit(StoreCommand... commands) throws Exception {
        store.submit(List.of(commands)).get(10, TimeUnit.SECONDS);
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
        store = RocksSessionStore.open(dir, true);
        return n;
    }

    private static RecoveredSession only(Recovery r, String c) {
        return r.sessions().stream()
                .filter(s -> s.record().clientId().equals(c))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void v1Store_isMigrated_andReadsAsItWasWritten() throws Exception {
        writeV1Store();

        store = RocksSessionStore.open(dir, true);
        Recovery r = store.recover();

        RecoveredSession a = only(r, "a");
        assertThat(a.queueHead()).isEqualTo(5);
        assertThat(a.queueTail()).isEqualTo(8);
        assertThat(a.queuedCount()).isEqualTo(3);
        assertThat(a.inflight())
                .singleElement()
                .satisfies(f -> assertThat(f.packetId()).isEqualTo(42));
        assertThat(r.nextMessageId()).isEqualTo(4);
        List<QueuedMessage> queued = store.readQueue("a", 0, 100, 100);
        assertThat(queued).extracting(q -> q.entry().seq()).containsExactly(5L, 6L, 7L);
        assertThat(queued.get(2).entry().qos()).isEqualTo(QoS.EXACTLY_ONCE);
        assertThat(queued)
                .extracting(q -> new String(q.message().payload(), StandardCharsets.UTF_8))
                .containsExactly("shared", "two", "three");
        assertThat(queued.get(0).message().properties().messageExpiryInterval()).isEqualTo(60L);
        store.close();
        try (RocksDatabase db = RocksDatabase.open(dir)) {
            byte[] version = db.db().get(db.handles().get(Family.META), Keys.FORMAT_VERSION);
            assertThat(version).containsExactly(0, 0, 0, RocksDatabase.FORMAT_VERSION);
        }
        store = null;
    }

    @Test
    void v1Store_afterMigration_releasesSharedMessages_andWritesNewOnesInline() throws Exception {
        writeV1Store();
        store = RocksSessionStore.open(dir, true);
        StoredMessage m1 = message(1, "shared");
        StoredMessage m4 = message(4, "four");

        commit(
                new Dequeue("a", 5, 1, m1.sizeBytes()),
                new Dequeue("a", 6, 2, message(2, "two").sizeBytes()));
        commit(new Enqueue("a", new QueueEntry(8, 4, QoS.AT_LEAST_ONCE, false, List.of()), m4));

        assertThat(rows(Family.MESSAGES))
                .as("message 1 (still in b's queue) and 3")
                .isEqualTo(2);
        assertThat(store.readQueue("a", 0, 100, 100))
                .extracting(q -> q.message().id())
                .containsExactly(3L, 4L);
        commit(new Dequeue("b", 0, 1, m1.sizeBytes()));
        assertThat(rows(Family.MESSAGES)).isEqualTo(1);
        assertThat(rows(Family.REFS)).isEqualTo(1);

        store.close();
        store = RocksSessionStore.open(dir, true);
        RecoveredSession a = only(store.recover(), "a");
        assertThat(a.queueHead()).isEqualTo(7);
        assertThat(a.queuedCount()).isEqualTo(2);
        assertThat(a.inflight()).isEmpty();
        assertThat(store.readQueue("a", 0, 100, 100))
                .extracting(q -> new String(q.message().payload(), StandardCharsets.UTF_8))
                .containsExactly("three", "four");
    }

    @Test
    void newerFormat_isRefusedWithWhatToDo() throws Exception {
        try (RocksDatabase db = RocksDatabase.open(dir)) {
            db.db().put(db.handles().get(Family.META), Keys.FORMAT_VERSION, new byte[] {0, 0, 0, 3});
        }
        assertThatThrownBy(() -> RocksSessionStore.open(dir, true))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("has format version 3")
                .hasMessageContaining("reads format versions 1 and 2 only")
                .hasMessageContaining("move " + dir + " aside");
    }
}
