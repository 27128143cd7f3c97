package io.berth.broker.store.rocksdb;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.rocksdb.AbstractNativeReference;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompactionStyle;
import org.rocksdb.DBOptions;
import org.rocksdb.InfoLogLevel;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Statistics;
import org.rocksdb.Status;
import org.rocksdb.WALRecoveryMode;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The open RocksDB database of a data folder with its options and column family handles: opening it
 * (turning RocksDB's errors into messages an operator can act on), checking the format version, and
 * releasing every native object at close. RocksDB's LOCK file makes the folder exclusive to one process.
 *
 * <p>Threading: opened and closed by one thread; the database and handles are thread-safe in between.
 */
final class RocksDatabase implements AutoCloseable {
    /** The format this code writes and reads; see {@code docs/storage-format.md}. */
    static final int FORMAT_VERSION = 2;

    /** The older format this code opens, migrating it; see {@link #migrate}. */
    static final int FORMAT_VERSION_1 = 1;

    private static final Logger LOG = LoggerFactory.getLogger(RocksDatabase.class);
    private static final long BLOCK_CACHE_BYTES = 64L << 20;
    private static final long MEMTABLES_BYTES = 64L << 20;
    /**
     * The WAL RocksDB keeps before it flushes the memtables its oldest file backs: what a start after a
     * crash replays at most (about 0.1 s per 4 MiB on a small machine), beside the flush every
     * {@link MemtableFlusher#INTERVAL_MILLIS}.
     */
    static final long MAX_WAL_BYTES = 8L << 20;

    static {
        NativeLibrary.load();
    }

    private final RocksDB db;
    private final Handles handles;
    private final List<ColumnFamilyHandle> all;
    private final List<AbstractNativeReference> resources;
    private final WriteOptions syncWrites;
    private final WriteOptions osWrites;

    private RocksDatabase(
            RocksDB db, Handles handles, List<ColumnFamilyHandle> all, List<AbstractNativeReference> resources) {
        this.db = db;
        this.handles = handles;
        this.all = all;
        this.resources = resources;
        this.syncWrites = new WriteOptions().setSync(true);
        this.osWrites = new WriteOptions().setSync(false);
    }

    RocksDB db() {
        return db;
    }

    Handles handles() {
        return handles;
    }

    List<ColumnFamilyHandle> allHandles() {
        return all;
    }

    WriteOptions writeOptions(boolean sync) {
        return sync ? syncWrites : osWrites;
    }

    static RocksDatabase open(Path dir) throws IOException {
        return open(dir, null);
    }

    /** Opens with RocksDB statistics collected into {@code statistics} (owned by the caller), if not null. */
    static RocksDatabase open(Path dir, @Nullable Statistics statistics) throws IOException {
        return open(dir, statistics, CompactionStyle.UNIVERSAL);
    }

    /**
     * Opens with the {@code queue} and {@code inflight} families compacting in {@code queueStyle}: universal
     * (ADR 23). Their keys are a client prefix and a growing seq, so every table file a flush writes spans
     * the key range of every session written meanwhile, and level compaction rewrote the whole last level
     * each time its level 0 filled: about 17 % of the broker's CPU in a fill of 1,500,000 messages. A
     * folder written with level compaction (Berth before ADR 23) opens as it is: universal compaction takes
     * each of its levels as one sorted run. Tests pass {@link CompactionStyle#LEVEL} to write such a folder.
     */
    static RocksDatabase open(Path dir, @Nullable Statistics statistics, CompactionStyle queueStyle)
            throws IOException {
        try {
            PrivateFiles.createFolder(dir);
        } catch (IOException e) {
            throw new IOException("cannot create the data folder " + dir + ": " + e, e);
        }
        List<AbstractNativeReference> resources = new ArrayList<>();
        LRUCache cache = track(resources, new LRUCache(BLOCK_CACHE_BYTES));
        BloomFilter bloom = track(resources, new BloomFilter(10));
        BlockBasedTableConfig table =
                new BlockBasedTableConfig().setBlockCache(cache).setFilterPolicy(bloom);
        ColumnFamilyOptions cfOptions = track(resources, new ColumnFamilyOptions().setTableFormatConfig(table));
        ColumnFamilyOptions queueOptions = track(
                resources, new ColumnFamilyOptions().setTableFormatConfig(table).setCompactionStyle(queueStyle));
        DBOptions dbOptions = track(
                resources,
                new DBOptions()
                        .setCreateIfMissing(true)
                        .setCreateMissingColumnFamilies(true)
                        .setMaxBackgroundJobs(2)
                        .setWalRecoveryMode(WALRecoveryMode.PointInTimeRecovery)
                        // a start after a crash replays the WAL into the memtables and goes on, instead of
                        // first writing them to a table file (and syncing it) before it opens: the WAL stays
                        // until they are flushed as usual (at most MAX_WAL_BYTES, see there)
                        .setAvoidFlushDuringRecovery(true)
                        // nor does it read every table file's properties before it opens
                        .setSkipStatsUpdateOnDbOpen(true)
                        .setDbWriteBufferSize(MEMTABLES_BYTES)
                        .setMaxTotalWalSize(MAX_WAL_BYTES)
                        .setInfoLogLevel(InfoLogLevel.WARN_LEVEL)
                        .setKeepLogFileNum(4)
                        .setMaxLogFileSize(8L << 20));
        if (statistics != null) {
            dbOptions.setStatistics(statistics);
        }
        List<org.rocksdb.AbstractEventListener> listeners = PrivateFiles.listeners(dir);
        listeners.forEach(l -> track(resources, l));
        dbOptions.setListeners(listeners);
        List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
        descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, cfOptions));
        for (Family f : Family.values()) {
            boolean queue = f == Family.QUEUE || f == Family.INFLIGHT;
            descriptors.add(new ColumnFamilyDescriptor(f.rocksName(), queue ? queueOptions : cfOptions));
        }
        boolean existed = Files.exists(dir.resolve("CURRENT"));
        List<ColumnFamilyHandle> all = new ArrayList<>();
        RocksDB db = null;
        try {
            if (existed) {
                addUnknownFamilies(dir, descriptors, cfOptions);
            }
            db = RocksDB.open(dbOptions, dir.toString(), descriptors, all);
            Map<Family, ColumnFamilyHandle> byFamily = new EnumMap<>(Family.class);
            for (Family f : Family.values()) {
                byFamily.put(f, all.get(f.ordinal() + 1));
            }
            PrivateFiles.restrict(dir);
            RocksDatabase database = new RocksDatabase(db, new Handles(byFamily), all, resources);
            try {
                database.checkFormat(dir, existed);
            } catch (IOException | RuntimeException e) {
                database.close();
                throw e;
            }
            return database;
        } catch (RocksDBException e) {
            all.forEach(ColumnFamilyHandle::close);
            if (db != null) {
                db.close();
            }
            resources.forEach(AbstractNativeReference::close);
            throw explain(dir, e);
        }
    }

    /** RocksDB must open every family a database has: add those a newer Berth may have created. */
    private static void addUnknownFamilies(Path dir, List<ColumnFamilyDescriptor> descriptors, ColumnFamilyOptions o)
            throws RocksDBException {
        try (Options options = new Options()) {
            for (byte[] name : RocksDB.listColumnFamilies(options, dir.toString())) {
                boolean known = descriptors.stream().anyMatch(d -> Arrays.equals(d.getName(), name));
                if (!known) {
                    descriptors.add(new ColumnFamilyDescriptor(name, o));
                }
            }
        }
    }

    private void checkFormat(Path dir, boolean existed) throws IOException, RocksDBException {
        ColumnFamilyHandle meta = handles.get(Family.META);
        byte[] version = db.get(meta, Keys.FORMAT_VERSION);
        if (version == null) {
            if (existed && holdsData()) {
                throw new IOException(
                        dir + " holds a RocksDB database without a Berth format version: it is not a Berth store, or"
                                + " a damaged one. Give Berth an empty or Berth-made --data folder.");
            }
            db.put(
                    meta,
                    syncWrites,
                    Keys.FORMAT_VERSION,
                    new ByteWriter(4).u32(FORMAT_VERSION).toByteArray());
            return;
        }
        long found = version.length == 4 ? new ByteReader(version).u32() : -1;
        if (found == FORMAT_VERSION_1) {
            migrate(dir);
            return;
        }
        if (found != FORMAT_VERSION) {
            throw new IOException("the store in " + dir + " has format version " + (found < 0 ? "(unreadable)" : found)
                    + ", and this Berth reads format versions " + FORMAT_VERSION_1 + " and " + FORMAT_VERSION
                    + " only. Run a Berth release"
                    + " that reads that version, or move " + dir + " aside to start with an empty store.");
        }
    }

    /**
     * Format 1 to 2. Every row of format 1 is a row of format 2 with the same meaning: its queue entries
     * (layout 1) refer to shared messages, and its counter rows' head hints are at most the first queued
     * entry, with no row below them, which is what format 2's authoritative head asks. So the migration
     * only writes the new version, synced; a Berth that reads format 1 only then refuses the store, rather
     * than misread the inline entries that format 2 writes.
     */
    private void migrate(Path dir) throws RocksDBException {
        db.put(
                handles.get(Family.META),
                syncWrites,
                Keys.FORMAT_VERSION,
                new ByteWriter(4).u32(FORMAT_VERSION).toByteArray());
        LOG.info(
                "the store in {} was format version {}; it is now format version {}",
                dir,
                FORMAT_VERSION_1,
                FORMAT_VERSION);
    }

    private boolean holdsData() {
        for (ColumnFamilyHandle h : all) {
            try (RocksIterator it = db.newIterator(h)) {
                it.seekToFirst();
                if (it.isValid()) {
                    return true;
                }
            }
        }
        return false;
    }

    static IOException explain(Path dir, RocksDBException e) {
        String message = String.valueOf(e.getMessage());
        Status status = e.getStatus();
        if (message.contains("LOCK")) {
            return new IOException(
                    "another Berth is using " + dir + " (" + message + "). Stop it first, or give this one another"
                            + " --data folder.",
                    e);
        }
        if ((status != null && status.getCode() == Status.Code.Corruption) || message.contains("Corruption")) {
            return new IOException(
                    "the store in " + dir + " is corrupt: " + message + ". Restore " + dir + " from a backup, or"
                            + " move it aside to start with an empty store (its sessions and queued messages are then lost).",
                    e);
        }
        return new IOException("cannot open the store in " + dir + ": " + message, e);
    }

    private static <T extends AbstractNativeReference> T track(List<AbstractNativeReference> resources, T resource) {
        resources.add(resource);
        return resource;
    }

    @Override
    public void close() {
        syncWrites.close();
        osWrites.close();
        all.forEach(ColumnFamilyHandle::close);
        try {
            db.closeE();
        } catch (RocksDBException e) {
            db.close();
        }
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }
}
