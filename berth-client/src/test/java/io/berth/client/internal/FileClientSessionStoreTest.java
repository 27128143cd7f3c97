package io.berth.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.berth.client.Message;
import io.berth.client.MessageProperties;
import io.berth.client.store.ClientSessionStore;
import io.berth.client.store.FileDurability;
import io.berth.client.store.SessionChange;
import io.berth.client.store.StoredSession;
import io.berth.codec.QoS;
import io.berth.codec.UserProperty;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileClientSessionStoreTest extends ClientSessionStoreContract {
    @TempDir
    Path dir;

    private final List<ClientSessionStore> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws IOException {
        for (ClientSessionStore s : open) {
            s.close();
        }
    }

    private Path log() {
        return dir.resolve("session.log");
    }

    private FileClientSessionStore openLog() throws IOException {
        FileClientSessionStore s = FileClientSessionStore.open(log());
        open.add(s);
        return s;
    }

    @Override
    ClientSessionStore newStore() throws IOException {
        return openLog();
    }

    @Override
    ClientSessionStore reopen(ClientSessionStore store) throws IOException {
        store.close();
        return openLog();
    }

    @Test
    void newLog_startsWithMagicAndVersion() throws IOException {
        openLog();
        assertThat(Files.readAllBytes(log())).containsExactly(0x42, 0x43, 0x53, 0x4C, 2, 0, 0, 0);
    }

    @Test
    void messageWithEveryProperty_survivesReopenWithThem() throws IOException {
        Message m = Message.builder("p/1")
                .payload("{}")
                .qos(QoS.EXACTLY_ONCE)
                .retain(true)
                .contentType("application/json")
                .messageExpiry(Duration.ofSeconds(4_000_000_000L))
                .responseTopic("replies/p")
                .correlationData(new byte[] {9, 8})
                .userProperty("a", "1")
                .userProperty("a", "2")
                .userProperty("\u00e9t\u00e9", "")
                .build();
        FileClientSessionStore s = openLog();
        s.append(new SessionChange.MessageAdded(5, m, 1_234_567L)).join();

        StoredSession.StoredMessage back = reopen(s).load().messages().get(0);

        assertThat(back.seq()).isEqualTo(5);
        assertThat(back.addedAtMillis()).isEqualTo(1_234_567L);
        Message r = back.message();
        assertThat(r.topic()).isEqualTo("p/1");
        assertThat(r.payloadAsString()).isEqualTo("{}");
        assertThat(r.qos()).isEqualTo(QoS.EXACTLY_ONCE);
        assertThat(r.retain()).isTrue();
        MessageProperties p = r.properties();
        assertThat(p.utf8Payload()).isTrue();
        assertThat(p.contentType()).isEqualTo("application/json");
        assertThat(p.messageExpiry()).isEqualTo(Duration.ofSeconds(4_000_000_000L));
        assertThat(p.responseTopic()).isEqualTo("replies/p");
        assertThat(p.correlationData()).containsExactly(9, 8);
        assertThat(p.userProperties())
                .containsExactly(
                        new UserProperty("a", "1"), new UserProperty("a", "2"), new UserProperty("\u00e9t\u00e9", ""));
    }

    @Test
    void logWrittenByFormatVersion1_opensWithItsContent_andIsMarkedVersion2() throws IOException {
        try (InputStream in = getClass().getResourceAsStream("format-v1.session")) {
            Files.write(log(), in.readAllBytes());
        }
        FileClientSessionStore s = openLog();

        StoredSession loaded = s.load();
        assertThat(loaded.messages())
                .extracting(m ->
                        m.seq() + " " + m.message().topic() + " " + m.message().payloadAsString() + " "
                                + m.message().qos().value() + " " + m.message().retain() + " " + m.packetId() + " "
                                + m.released())
                .containsExactly("1 v1/one first 1 false 0 false", "2 v1/two second 2 true 7 true");
        assertThat(loaded.inboundPacketIds()).containsExactly(42);
        assertThat(Files.readAllBytes(log())[4]).isEqualTo((byte) 2);

        s.append(new SessionChange.MessageAdded(
                        4,
                        Message.builder("v2")
                                .payload("new")
                                .qos(QoS.AT_LEAST_ONCE)
                                .userProperty("k", "v")
                                .build()))
                .join();
        assertThat(reopen(s).load().messages())
                .extracting(m -> m.seq() + " " + m.message().properties().userProperty("k"))
                .containsExactly("1 null", "2 null", "4 v");
    }

    @Test
    void afterAFailedWrite_theStoreRefusesEveryFurtherChange_andKeepsWhatWasCommitted() throws IOException {
        FailingFileChannel[] channel = new FailingFileChannel[1];
        FileClientSessionStore s = FileClientSessionStore.open(log(), c -> channel[0] = new FailingFileChannel(c));
        open.add(s);
        s.append(new SessionChange.MessageAdded(1, message("committed", QoS.AT_LEAST_ONCE)))
                .join();

        channel[0].failWrites = true;
        CompletableFuture<Void> failed =
                s.append(new SessionChange.MessageAdded(2, message("lost", QoS.AT_LEAST_ONCE)));
        assertThatThrownBy(failed::join)
                .hasRootCauseInstanceOf(IOException.class)
                .hasMessageContaining("injected");

        channel[0].failWrites = false; // the disk recovers; the store does not trust its log any more
        CompletableFuture<Void> after =
                s.append(new SessionChange.MessageAdded(3, message("after", QoS.AT_LEAST_ONCE)));
        assertThatThrownBy(after::join).hasRootCauseInstanceOf(IOException.class);

        assertThat(reopen(s).load().messages()).extracting(m -> m.seq()).containsExactly(1L);
    }

    @Test
    void tornTail_isTruncatedAndEverythingBeforeItSurvives() throws IOException {
        FileClientSessionStore s = openLog();
        s.append(new SessionChange.MessageAdded(1, message("kept", QoS.EXACTLY_ONCE)))
                .join();
        s.append(new SessionChange.MessageAdded(2, message("torn", QoS.EXACTLY_ONCE)))
                .join();
        s.close();
        long full = SessionLogReader.endOfRecords(log());
        try (RandomAccessFile f = new RandomAccessFile(log().toFile(), "rw")) {
            f.setLength(full - 3); // the crash cut the last record short
        }

        FileClientSessionStore again = openLog();

        assertThat(again.load().messages())
                .extracting(m -> m.message().payloadAsString())
                .containsExactly("kept");
        assertThat(Files.size(log())).isLessThan(full - 3);
        again.append(new SessionChange.MessageAdded(3, message("after", QoS.AT_LEAST_ONCE)))
                .join();
        assertThat(reopen(again).load().messages()).extracting(m -> m.seq()).containsExactly(1L, 3L);
    }

    @Test
    void corruptRecord_failsItsCrcAndEndsTheLog() throws IOException {
        FileClientSessionStore s = openLog();
        s.append(new SessionChange.MessageAdded(1, message("good", QoS.AT_LEAST_ONCE)))
                .join();
        long firstEnd = SessionLogReader.endOfRecords(log());
        s.append(new SessionChange.MessageAdded(2, message("flipped", QoS.AT_LEAST_ONCE)))
                .join();
        s.close();
        try (RandomAccessFile f = new RandomAccessFile(log().toFile(), "rw")) {
            f.seek(firstEnd + 20); // inside the second record's body
            int b = f.read();
            f.seek(firstEnd + 20);
            f.write(b ^ 0x01);
        }

        assertThat(openLog().load().messages()).extracting(m -> m.seq()).containsExactly(1L);
    }

    @Test
    void append_writesIntoPreallocatedZeros_thatStayAcrossReopen() throws IOException {
        FileClientSessionStore s = openLog();
        s.append(new SessionChange.MessageAdded(1, message("one", QoS.AT_LEAST_ONCE)))
                .join();
        long end = SessionLogReader.endOfRecords(log());
        long length = Files.size(log());
        assertThat(length).isGreaterThanOrEqualTo(end + FileClientSessionStore.PREALLOCATE_BYTES);
        assertThat(Arrays.copyOfRange(Files.readAllBytes(log()), (int) end, (int) length))
                .containsOnly(0);

        FileClientSessionStore again = (FileClientSessionStore) reopen(s);
        assertThat(Files.size(log())).isEqualTo(length); // the zeros are room, not a torn tail
        again.append(new SessionChange.MessageAdded(2, message("two", QoS.AT_LEAST_ONCE)))
                .join();

        assertThat(Files.size(log())).isEqualTo(length);
        assertThat(reopen(again).load().messages()).extracting(m -> m.seq()).containsExactly(1L, 2L);
    }

    @Test
    void logOfTheCurrentFormat_withAndWithoutPreallocatedZeros_opens() throws IOException {
        ByteBuffer records = ByteBuffer.allocate(1024);
        records.put(SessionLogFormat.header());
        records = SessionLogFormat.writeRecord(
                new SessionChange.MessageAdded(1, message("one", QoS.AT_LEAST_ONCE), 1_000L), records);
        records = SessionLogFormat.writeRecord(new SessionChange.PacketIdAssigned(1, 9), records);
        records = SessionLogFormat.writeRecord(new SessionChange.InboundReceived(3), records);
        byte[] bytes = Arrays.copyOf(records.array(), records.position());
        for (int zeros : new int[] {0, 4096}) { // written before preallocation, and after
            Files.write(log(), Arrays.copyOf(bytes, bytes.length + zeros));
            FileClientSessionStore s = openLog();

            assertThat(s.load().messages())
                    .extracting(m -> m.seq() + " " + m.message().payloadAsString() + " " + m.packetId())
                    .containsExactly("1 one 9");
            assertThat(s.load().inboundPacketIds()).containsExactly(3);
            s.close();
            open.remove(s);
        }
    }

    @Test
    void tornRecordInPreallocatedZeros_isCutAndLaterAppendsSurvive() throws IOException {
        FileClientSessionStore s = openLog();
        s.append(new SessionChange.MessageAdded(1, message("kept", QoS.AT_LEAST_ONCE)))
                .join();
        s.close();
        long end = SessionLogReader.endOfRecords(log());
        try (RandomAccessFile f = new RandomAccessFile(log().toFile(), "rw")) {
            f.seek(end); // a crash left the start of a record, then the zeros of the room
            f.write(new byte[] {0, 0, 0, 40, 1, 2, 3, 4, 9, 9});
        }

        FileClientSessionStore again = openLog();
        assertThat(again.load().messages()).extracting(m -> m.seq()).containsExactly(1L);
        again.append(new SessionChange.MessageAdded(2, message("short", QoS.AT_LEAST_ONCE)))
                .join();

        assertThat(reopen(again).load().messages()).extracting(m -> m.seq()).containsExactly(1L, 2L);
    }

    @Test
    void secondStoreOnTheSameFile_failsFast() throws IOException {
        openLog();
        assertThatThrownBy(() -> FileClientSessionStore.open(log()))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("in use");
    }

    @Test
    void notASessionLog_failsWithWhatAndWhere() throws IOException {
        Files.writeString(log(), "hello, this is not a log");
        assertThatThrownBy(() -> FileClientSessionStore.open(log()))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(log().toString());
    }

    @Test
    void manyConcurrentAppends_allDurableAndInOrder() throws Exception {
        FileClientSessionStore s = openLog();
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (int i = 1; i <= 2_000; i++) {
            done.add(s.append(new SessionChange.MessageAdded(i, message("m" + i, QoS.AT_LEAST_ONCE))));
        }
        CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).join();

        assertThat(reopen(s).load().messages())
                .hasSize(2_000)
                .extracting(m -> m.seq())
                .isSorted();
    }

    @Test
    void growingLog_isCompactedToItsLiveContent() throws Exception {
        long compactFrom = 4L * 1024 * 1024;
        FileClientSessionStore s = FileClientSessionStore.open(log(), FileDurability.FSYNC, c -> c, compactFrom);
        open.add(s);
        byte[] payload = new byte[16 * 1024];
        for (long seq = 1; seq <= 400; seq++) { // 6.4 MB written, one message live at a time
            s.append(List.of(
                            new SessionChange.MessageAdded(
                                    seq, new io.berth.client.Message("t", payload, QoS.AT_LEAST_ONCE, false)),
                            new SessionChange.MessageRemoved(seq - 1)))
                    .join();
        }
        s.append(new SessionChange.InboundReceived(77)).join();

        assertThat(SessionLogReader.endOfRecords(log())).isLessThan(compactFrom);
        ClientSessionStore again = reopen(s);
        assertThat(again.load().messages()).extracting(m -> m.seq()).containsExactly(400L);
        assertThat(again.load().inboundPacketIds()).containsExactly(77);
        assertThat(Files.exists(dir.resolve("session.log.compact"))).isFalse();
    }

    @Test
    void appendsThatComeWhileACompactionRuns_waitForIt_andAreWrittenToTheNewLogInOrder() throws Exception {
        long compactFrom = 256L * 1024;
        FileClientSessionStore s = FileClientSessionStore.open(log(), FileDurability.FSYNC, c -> c, compactFrom);
        open.add(s);
        byte[] payload = new byte[1024];
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (long seq = 1; seq <= 3_000; seq++) { // 3 MB, compacted about ten times, never joined meanwhile
            done.add(s.append(List.of(
                    new SessionChange.MessageAdded(seq, new Message("t", payload, QoS.AT_LEAST_ONCE, false)),
                    new SessionChange.MessageRemoved(seq - 2))));
        }
        CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

        // what waited for one compaction is compacted by the next (it runs on, after the appends completed)
        await().atMost(Duration.ofSeconds(30)).until(() -> SessionLogReader.endOfRecords(log()) < compactFrom);
        assertThat(reopen(s).load().messages()).extracting(m -> m.seq()).containsExactly(2_999L, 3_000L);
    }

    @Test
    void aFlushHangingWhenTheLogIsDueForCompaction_keepsLaterRecordsFromTheOsForTheCompactionHoldAtMost()
            throws Exception {
        long compactFrom = 256L * 1024;
        FailingFileChannel[] channel = new FailingFileChannel[1];
        FileClientSessionStore s = FileClientSessionStore.open(
                log(), FileDurability.FSYNC, c -> channel[0] = new FailingFileChannel(c), compactFrom);
        open.add(s);
        byte[] payload = new byte[16 * 1024];
        long seq = 1;
        for (; seq < 12; seq++) { // about 192 KiB written, one message live at a time
            s.append(List.of(
                            new SessionChange.MessageAdded(seq, new Message("t", payload, QoS.AT_LEAST_ONCE, false)),
                            new SessionChange.MessageRemoved(seq - 1)))
                    .join();
        }
        CountDownLatch forcing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        channel[0].onForce = () -> {
            forcing.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        List<SessionChange> crossing = new ArrayList<>();
        for (long end = seq + 6; seq < end; seq++) { // past the compaction size; its force hangs
            crossing.add(new SessionChange.MessageAdded(seq, new Message("t", payload, QoS.AT_LEAST_ONCE, false)));
            crossing.add(new SessionChange.MessageRemoved(seq - 1));
        }
        CompletableFuture<Void> first = s.append(crossing);
        assertThat(forcing.await(20, TimeUnit.SECONDS)).isTrue(); // written; the writer looks at compaction next
        CompletableFuture<Void> later = s.append(new SessionChange.InboundReceived(77));

        try {
            // the compaction due does not wait for the hanging force for ever: the later record reaches the OS
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> SessionLogReader.read(log()).inboundPacketIds().contains(77));
            assertThat(first).isNotDone();
            assertThat(later).isNotDone();
        } finally {
            release.countDown();
        }
        CompletableFuture.allOf(first, later).get(20, TimeUnit.SECONDS);
        long last = seq - 1;
        await().atMost(Duration.ofSeconds(20))
                .until(
                        () -> { // compacted after a later write
                            s.append(new SessionChange.InboundReceived(78)).join();
                            return SessionLogReader.endOfRecords(log()) < compactFrom;
                        });
        ClientSessionStore again = reopen(s);
        assertThat(again.load().messages()).extracting(m -> m.seq()).containsExactly(last);
        assertThat(again.load().inboundPacketIds()).contains(77, 78);
    }
}
