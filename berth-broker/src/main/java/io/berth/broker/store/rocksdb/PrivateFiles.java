package io.berth.broker.store.rocksdb;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import org.rocksdb.AbstractEventListener;
import org.rocksdb.AbstractEventListener.EnabledEventCallback;
import org.rocksdb.CompactionJobInfo;
import org.rocksdb.FlushJobInfo;
import org.rocksdb.MemTableInfo;
import org.rocksdb.RocksDB;
import org.rocksdb.TableFileCreationInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the data folder private to the broker's user, as Mosquitto does since CVE-2017-9868: the folder
 * is 0700 and every file in it 0600, whatever the umask. RocksDB creates its files with the process
 * umask (Java cannot change it), so every file is restricted after the database opens and again each
 * time RocksDB makes new files (a memtable switch starts a new WAL; flushes and compactions write
 * SSTs); in between, the 0700 folder already keeps other users out. On a file system without POSIX
 * permissions nothing is done.
 *
 * <p>Threading: stateless; the listener runs on RocksDB's background threads.
 */
final class PrivateFiles {
    private static final Logger LOG = LoggerFactory.getLogger(PrivateFiles.class);
    static final Set<PosixFilePermission> FOLDER = PosixFilePermissions.fromString("rwx------");
    static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    private static final boolean POSIX =
            FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private PrivateFiles() {}

    /** Creates {@code dir} (and missing parents) and makes it 0700. */
    static void createFolder(Path dir) throws IOException {
        if (!POSIX) {
            Files.createDirectories(dir);
            return;
        }
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(FOLDER));
        }
        if (!Files.getPosixFilePermissions(dir).equals(FOLDER)) {
            LOG.info("data folder {} made private to its owner (0700)", dir);
            Files.setPosixFilePermissions(dir, FOLDER);
        }
    }

    /** Makes every file directly in {@code dir} 0600; problems are logged, not thrown. */
    static void restrict(Path dir) {
        if (!POSIX) {
            return;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                try {
                    if (Files.isRegularFile(f)
                            && !Files.getPosixFilePermissions(f).equals(FILE)) {
                        Files.setPosixFilePermissions(f, FILE);
                    }
                } catch (IOException e) {
                    // RocksDB may delete an obsolete file meanwhile
                    LOG.debug("cannot restrict {}: {}", f, e.toString());
                }
            }
        } catch (IOException e) {
            LOG.warn("cannot restrict the files of {}: {}", dir, e.toString());
        }
    }

    /**
     * The callbacks the listener asks for. Only these: RocksDB calls into Java for every enabled one, and
     * the listener's default constructor enables all of them, the file I/O ones included, which made every
     * WAL append and fsync of the committer a JNI call back into Java.
     */
    static final EnabledEventCallback[] CALLBACKS = {
        EnabledEventCallback.ON_MEMTABLE_SEALED,
        EnabledEventCallback.ON_TABLE_FILE_CREATED,
        EnabledEventCallback.ON_FLUSH_COMPLETED,
        EnabledEventCallback.ON_COMPACTION_COMPLETED
    };

    /** Restricts the folder's files whenever RocksDB has created new ones. */
    static AbstractEventListener listener(Path dir) {
        return new AbstractEventListener(CALLBACKS) {
            @Override
            public void onMemTableSealed(MemTableInfo info) {
                restrict(dir);
            }

            @Override
            public void onTableFileCreated(TableFileCreationInfo info) {
                restrict(dir);
            }

            @Override
            public void onFlushCompleted(RocksDB db, FlushJobInfo info) {
                restrict(dir);
            }

            @Override
            public void onCompactionCompleted(RocksDB db, CompactionJobInfo info) {
                restrict(dir);
            }
        };
    }

    /** The listeners to give RocksDB for {@code dir}. */
    static List<AbstractEventListener> listeners(Path dir) {
        return List.of(listener(dir));
    }
}
