package io.berth.broker.store.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.util.Environment;

class NativeLibraryTest {
    private static final String NAME = Environment.getJniLibraryFileName("rocksdb");

    @Test
    void unpackOnce_emptyFolder_unpacksTheJarsLibraryWithItsStamp(@TempDir Path dir) throws Exception {
        Path library = Objects.requireNonNull(NativeLibrary.unpackOnce(dir, NAME));

        assertThat(library).isEqualTo(dir.resolve(NAME));
        try (var in = Objects.requireNonNull(org.rocksdb.RocksDB.class.getResourceAsStream("/" + NAME))) {
            assertThat(Files.size(library)).isEqualTo(in.transferTo(java.io.OutputStream.nullOutputStream()));
        }
        assertThat(dir.resolve(NAME + ".stamp")).isNotEmptyFile();
        // no temporary file is left behind
        try (var files = Files.list(dir)) {
            assertThat(files).hasSize(2);
        }
    }

    @Test
    void unpackOnce_sameLibraryThere_writesNothing(@TempDir Path dir) throws Exception {
        Path library = Objects.requireNonNull(NativeLibrary.unpackOnce(dir, NAME));
        FileTime old = FileTime.fromMillis(1_000_000L);
        Files.setLastModifiedTime(library, old);

        NativeLibrary.unpackOnce(dir, NAME);

        assertThat(Files.getLastModifiedTime(library)).isEqualTo(old);
    }

    @Test
    void unpackOnce_libraryOfAnotherJar_unpacksAgain(@TempDir Path dir) throws Exception {
        Path library = Objects.requireNonNull(NativeLibrary.unpackOnce(dir, NAME));
        long size = Files.size(library);
        Files.writeString(dir.resolve(NAME + ".stamp"), "size 1 crc 2", StandardCharsets.UTF_8);
        Files.write(library, new byte[] {1, 2, 3});

        NativeLibrary.unpackOnce(dir, NAME);

        assertThat(Files.size(library)).isEqualTo(size);
    }

    @Test
    void unpackOnce_noSuchResource_null(@TempDir Path dir) throws Exception {
        assertThat(NativeLibrary.unpackOnce(dir, "libno-such-library.so")).isNull();
        try (var files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }
}
