package io.berth.broker.store.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/** The Java-built serialized batch against the one RocksDB builds from the same calls, and a real write. */
class BatchRepTest {
    @TempDir
    Path dir;

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Puts, deletes and range deletes in every family, with keys and values past one varint byte. */
    private static void ops(Handles h, BatchRep rep, WriteBatch native_) throws Exception {
        byte[] big = new byte[300];
        Arrays.fill(big, (byte) 7);
        byte[] huge = new byte[70_000];
        Arrays.fill(huge, (byte) 9);
        for (Family f : Family.values()) {
            rep.put(f, b("k1"), b("v1"));
            native_.put(h.get(f), b("k1"), b("v1"));
            rep.put(f, big, huge);
            native_.put(h.get(f), big, huge);
            rep.put(f, b("empty"), new byte[0]);
            native_.put(h.get(f), b("empty"), new byte[0]);
            rep.delete(f, b("k0"));
            native_.delete(h.get(f), b("k0"));
            rep.deleteRange(f, b("a"), b("b"));
            native_.deleteRange(h.get(f), b("a"), b("b"));
        }
    }

    @Test
    void encodesExactlyAsRocksDb() throws Exception {
        try (RocksDatabase db = RocksDatabase.open(dir);
                WriteBatch native_ = new WriteBatch()) {
            BatchRep rep = new BatchRep(db.handles());
            ops(db.handles(), rep, native_);
            assertThat(rep.count()).isEqualTo(native_.count()).isEqualTo(5 * Family.values().length);
            assertThat(rep.serialize()).isEqualTo(native_.data());
        }
    }

    @Test
    void aResetBatchEncodesTheNextOneAfresh() throws Exception {
        try (RocksDatabase db = RocksDatabase.open(dir)) {
            BatchRep rep = new BatchRep(db.handles());
            try (WriteBatch first = new WriteBatch()) {
                ops(db.handles(), rep, first);
            }
            rep.reset();
            try (WriteBatch second = new WriteBatch()) {
                rep.put(Family.SESSIONS, b("c"), b("record"));
                second.put(db.handles().get(Family.SESSIONS), b("c"), b("record"));
                assertThat(rep.count()).isEqualTo(1);
                assertThat(rep.serialize()).isEqualTo(second.data());
            }
        }
    }

    @Test
    void anEmptyBatchIsAHeader() throws Exception {
        try (RocksDatabase db = RocksDatabase.open(dir);
                WriteBatch native_ = new WriteBatch()) {
            assertThat(new BatchRep(db.handles()).serialize()).isEqualTo(native_.data());
        }
    }

    @Test
    void aWrittenBatchReadsBack() throws Exception {
        try (RocksDatabase db = RocksDatabase.open(dir)) {
            Handles h = db.handles();
            BatchRep first = new BatchRep(h);
            for (int i = 0; i < 1_000; i++) {
                first.put(Family.QUEUE, b(String.format("q%04d", i)), b("m" + i));
            }
            first.put(Family.META, b("x"), b("y"));
            try (WriteBatch batch = first.toWriteBatch();
                    WriteOptions sync = new WriteOptions().setSync(true)) {
                db.db().write(sync, batch);
            }
            BatchRep second = new BatchRep(h);
            second.deleteRange(Family.QUEUE, b("q0000"), b("q0990"));
            second.delete(Family.QUEUE, b("q0995"));
            second.delete(Family.META, b("x"));
            try (WriteBatch batch = second.toWriteBatch();
                    WriteOptions sync = new WriteOptions().setSync(true)) {
                db.db().write(sync, batch);
            }
            assertThat(keys(db, Family.QUEUE))
                    .containsExactly("q0990", "q0991", "q0992", "q0993", "q0994", "q0996", "q0997", "q0998", "q0999");
            assertThat(db.db().get(h.get(Family.QUEUE), b("q0991"))).isEqualTo(b("m991"));
            assertThat(keys(db, Family.META)).doesNotContain("x");
        }
    }

    private static List<String> keys(RocksDatabase db, Family f) {
        List<String> keys = new ArrayList<>();
        try (ReadOptions ro = new ReadOptions();
                RocksIterator it = db.db().newIterator(db.handles().get(f), ro)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                keys.add(new String(it.key(), StandardCharsets.UTF_8));
            }
        }
        return keys;
    }
}
