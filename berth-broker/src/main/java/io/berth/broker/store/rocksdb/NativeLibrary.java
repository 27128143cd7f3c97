package io.berth.broker.store.rocksdb;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;
import org.rocksdb.RocksDB;
import org.rocksdb.util.Environment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads RocksDB's native library from a folder that keeps it between starts. RocksDB's own loader first
 * asks {@code System.loadLibrary} (that is, {@code java.library.path}) and otherwise unpacks its library
 * (17 MB) from its jar into a new temporary file, at every start. When the launcher names a folder in the
 * system property {@value #DIR_PROPERTY} and puts the same folder on {@code java.library.path} (as
 * {@code ./berth} and {@code bin/berth} do), the library is unpacked there once and later starts load it
 * from there. A stamp beside it (the jar entry's size and CRC) tells whether it is the library of this
 * jar: another RocksDB version unpacks its own again. The unpacking writes a temporary file and moves it
 * into place, so two starts at once never load a half-written library. Any failure here only costs the
 * time: RocksDB then unpacks to a temporary file as before.
 *
 * <p>Threading: {@link #load} is synchronized; whoever comes second waits for the first.
 */
final class NativeLibrary {
    /** The folder that keeps the unpacked library; must also be on {@code java.library.path}. */
    static final String DIR_PROPERTY = "berth.native.dir";

    private static final Logger LOG = LoggerFactory.getLogger(NativeLibrary.class);

    private NativeLibrary() {}

    /** Loads RocksDB's library, first unpacking it into the folder of {@value #DIR_PROPERTY} if needed. */
    static synchronized void load() {
        String dir = System.getProperty(DIR_PROPERTY);
        if (dir != null && !dir.isEmpty()) {
            try {
                Path folder = Path.of(dir);
                unpackOnce(folder, Environment.getJniLibraryFileName("rocksdb"));
                if (!onLibraryPath(folder)) {
                    LOG.warn("{} is not on java.library.path: RocksDB unpacks its library to a temporary file", dir);
                }
            } catch (IOException | RuntimeException e) {
                LOG.warn("cannot keep RocksDB's native library in {}: {}", dir, e.toString());
            }
        }
        RocksDB.loadLibrary();
    }

    /**
     * Unpacks the class path resource {@code name} into {@code folder} unless the same (by the stamp
     * beside it) is there already; returns the library's path, or null when the class path has no such
     * resource (RocksDB then finds its own fallback).
     */
    static @Nullable Path unpackOnce(Path folder, String name) throws IOException {
        URL resource = RocksDB.class.getResource("/" + name);
        if (resource == null) {
            return null;
        }
        Path library = folder.resolve(name);
        Path stampFile = folder.resolve(name + ".stamp");
        byte[] stamp = stamp(resource);
        if (Files.isRegularFile(library)
                && Files.isRegularFile(stampFile)
                && Arrays.equals(Files.readAllBytes(stampFile), stamp)) {
            return library;
        }
        Files.createDirectories(folder);
        Path tmp = Files.createTempFile(folder, name, ".tmp");
        try {
            try (InputStream in = resource.openStream()) {
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            }
            move(tmp, library);
            Path tmpStamp = Files.createTempFile(folder, name, ".stamp.tmp");
            Files.write(tmpStamp, stamp);
            move(tmpStamp, stampFile);
        } finally {
            Files.deleteIfExists(tmp);
        }
        LOG.info("unpacked RocksDB's native library into {} (once; later starts load it from there)", folder);
        return library;
    }

    /** What identifies the library in the jar: its size and CRC (read without unpacking), or its URL. */
    private static byte[] stamp(URL resource) throws IOException {
        URLConnection c = resource.openConnection();
        String id = c instanceof JarURLConnection jar
                ? "size " + jar.getJarEntry().getSize() + " crc "
                        + jar.getJarEntry().getCrc()
                : resource + " " + c.getContentLengthLong();
        return id.getBytes(StandardCharsets.UTF_8);
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static boolean onLibraryPath(Path folder) {
        String path = System.getProperty("java.library.path", "");
        Path wanted = folder.toAbsolutePath().normalize();
        for (String entry : path.split(java.io.File.pathSeparator)) {
            if (!entry.isEmpty() && Path.of(entry).toAbsolutePath().normalize().equals(wanted)) {
                return true;
            }
        }
        return false;
    }
}
