package io.berth.broker.store.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.FlushOptions;

/** The data folder is 0700 and every store file 0600, those RocksDB creates later included (CVE-2017-9868). */
class PrivateFilesTest {
    @TempDir
    Path tmp;

    private static String mode(Path p) {
        try {
            return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every regular file of {@code dir} that is not 0600, with its mode. */
    private static Map<String, String> notPrivate(Path dir) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String m = mode(f);
                if (!m.equals("rw-------")) {
                    out.put(f.getFileName().toString(), m);
                }
            }
        }
        return out;
    }

    @Test
    void newFolder_is0700_andEveryFile0600_includingFilesCreatedByFlushAndCompaction() throws Exception {
        Path dir = tmp.resolve("a/data");
        try (RocksDatabase db = RocksDatabase.open(dir)) {
            assertThat(mode(dir)).isEqualTo("rwx------");
            assertThat(notPrivate(dir)).isEmpty();
            List<String> before;
            try (Stream<Path> files = Files.list(dir)) {
                before = files.map(p -> p.getFileName().toString()).toList();
            }
            for (int round = 0; round < 3; round++) {
                for (int i = 0; i < 100; i++) {
                    db.db().put(db.handles().get(Family.RETAINED), ("t" + round + "/" + i).getBytes(), new byte[100]);
                }
                try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
                    db.db().flush(flush, db.allHandles());
                }
            }
            db.db().compactRange(db.handles().get(Family.RETAINED));
            try (Stream<Path> files = Files.list(dir)) {
                assertThat(files.map(p -> p.getFileName().toString()).filter(n -> !before.contains(n)))
                        .as("new SST and WAL files were made")
                        .anyMatch(n -> n.endsWith(".sst"))
                        .anyMatch(n -> n.endsWith(".log"));
            }
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(notPrivate(dir)).isEmpty());
        }
    }

    @Test
    void existingOpenFolder_isMadePrivate() throws Exception {
        Path dir = tmp.resolve("old");
        Files.createDirectories(
                dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Files.createDirectories(dir);
        try (RocksDatabase db = RocksDatabase.open(dir)) {
            assertThat(mode(dir)).isEqualTo("rwx------");
        }
        Path stray = dir.resolve("OPTIONS-old");
        Files.writeString(stray, "x");
        Files.setPosixFilePermissions(stray, PosixFilePermissions.fromString("rw-r--r--"));
        try (RocksDatabase db = RocksDatabase.open(dir)) {
            assertThat(notPrivate(dir)).isEmpty();
        }
    }
}
