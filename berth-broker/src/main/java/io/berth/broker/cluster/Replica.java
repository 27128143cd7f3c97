package io.berth.broker.cluster;

import io.berth.broker.store.CommitListener;
import io.berth.broker.store.QueuedMessage;
import io.berth.broker.store.RecoveredSession;
import io.berth.broker.store.SessionStore;
import io.berth.broker.store.StoreCommand;
import io.berth.broker.store.StoredMessage;
import io.berth.broker.store.rocksdb.RocksSessionStore;
import io.berth.broker.store.rocksdb.RocksSessionStore.MetaWrite;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * This node's replica of the store ({@code <data>/store}, RocksDB), which a snapshot of the group can
 * replace whole: a follower that fell behind the leader's purged log receives the leader's snapshot (a
 * RocksDB checkpoint) and {@link #replaceWith} puts it in place of the replica, between two reads.
 *
 * <p>Threading: any thread; every call runs under the read side of a lock whose write side
 * {@link #replaceWith} takes (on Ratis' state machine thread, with the state machine paused).
 */
final class Replica implements AutoCloseable {
    private final Path dir;
    private final CommitListener listener;
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private RocksSessionStore store;

    private Replica(Path dir, CommitListener listener, RocksSessionStore store) {
        this.dir = dir;
        this.listener = listener;
        this.store = store;
    }

    /** Opens the replica in {@code dir}, without RocksDB's own WAL sync (the Raft log is the WAL). */
    static Replica open(Path dir, CommitListener listener) throws IOException {
        return new Replica(dir, listener, RocksSessionStore.open(dir, false, listener));
    }

    private <T> T read(Function<RocksSessionStore, T> f) {
        lock.readLock().lock();
        try {
            return f.apply(store);
        } finally {
            lock.readLock().unlock();
        }
    }

    CompletableFuture<Void> submit(List<StoreCommand> commands, List<MetaWrite> meta) {
        return read(s -> s.submit(commands, meta));
    }

    /** See {@link RocksSessionStore#readMeta(String, String, int)}. */
    java.util.LinkedHashMap<String, byte[]> readMeta(String prefix, String after, int max) {
        return read(s -> s.readMeta(prefix, after, max));
    }

    Map<String, byte[]> readMeta(String prefix) {
        return read(s -> s.readMeta(prefix));
    }

    SessionStore.Recovery recover() {
        return read(RocksSessionStore::recover);
    }

    @Nullable
    RecoveredSession recoverSession(String clientId) {
        lock.readLock().lock();
        try {
            return store.recoverSession(clientId);
        } finally {
            lock.readLock().unlock();
        }
    }

    List<QueuedMessage> readQueue(String clientId, long fromSeq, long toSeq, int max) {
        return read(s -> s.readQueue(clientId, fromSeq, toSeq, max));
    }

    @Nullable
    StoredMessage readRetained(String topic) {
        lock.readLock().lock();
        try {
            return store.readRetained(topic);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Writes a checkpoint of the replica to {@code target} once every write submitted so far is in it. */
    void checkpoint(Path target) throws IOException {
        lock.readLock().lock();
        try {
            store.submit(List.of(), List.of()).join(); // writes commit in order: every earlier one is done
            store.checkpoint(target);
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Replaces the replica with the checkpoint in {@code snapshot} (which stays as it is: its files are
     * linked or copied). Nothing may be submitted meanwhile (the state machine is paused).
     */
    void replaceWith(Path snapshot) throws IOException {
        lock.writeLock().lock();
        try {
            store.close();
            Path old = dir.resolveSibling(dir.getFileName() + ".replaced");
            deleteTree(old);
            if (Files.exists(dir)) {
                Files.move(dir, old);
            }
            copyTree(snapshot, dir);
            store = RocksSessionStore.open(dir, false, listener);
            deleteTree(old);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Copies the files of {@code from} to {@code to}, linking SST files (immutable), skipping digests. */
    static void copyTree(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (var files = Files.list(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String name = f.getFileName().toString();
                Path target = to.resolve(name);
                if (Files.isDirectory(f)) {
                    copyTree(f, target);
                } else if (name.endsWith(".md5")) {
                    continue; // Ratis' digest of an installed file
                } else if (name.endsWith(".sst")) {
                    try {
                        Files.createLink(target, f);
                    } catch (IOException | UnsupportedOperationException e) {
                        Files.copy(f, target);
                    }
                } else {
                    Files.copy(f, target);
                }
            }
        }
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        Files.walkFileTree(p, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, @Nullable IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            store.close();
        } finally {
            lock.writeLock().unlock();
        }
    }
}
