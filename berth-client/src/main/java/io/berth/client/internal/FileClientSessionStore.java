package io.berth.client.internal;

import io.berth.client.store.ClientSessionStore;
import io.berth.client.store.FileDurability;
import io.berth.client.store.SessionChange;
import io.berth.client.store.StoredSession;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A durable {@link ClientSessionStore}: one append-only log file of {@link SessionChange} records (format in
 * {@link SessionLogFormat}), written with group commit. Appends queue up while the writer thread is busy
 * with the previous {@code write}, or while the force is running (what it wrote then could not be forced
 * sooner; but for {@link #MAX_HOLD} at most); the next round encodes all of them into one reused buffer and
 * writes it at once. A {@link ForcePipeline} then forces the log, {@value #FORCE_DEPTH} force at a time,
 * each covering everything written before it began, and completes the futures in order. Under load the
 * batches grow by themselves; when idle an append waits for about one force.
 *
 * <p>The file is preallocated: when a write would pass its end, the writer first extends it by
 * {@value #PREALLOCATE_BYTES} bytes of zeros, so that the records that follow overwrite blocks that already
 * belong to the file and a force ({@code fdatasync}) writes only them, without a journal commit for the
 * file's size. The zeros after the last record end the log when it is read (a record's length is at least
 * 1).
 *
 * <p>On open the log is replayed into a {@link SessionImage}. A torn tail (a record cut short or failing its
 * CRC, whatever follows it) is truncated; a tail of zeros only is the preallocated room and stays. When the file has grown past {@value #COMPACT_MIN_BYTES} bytes and past four times the
 * live content, the writer writes the live content as a new log next to it ({@code <name>.compact}),
 * forces it, renames it over the old one atomically and forces the directory: a crash at any point leaves
 * either the old or the new log, both complete.
 *
 * <p>A second store on the same file fails fast: {@code <name>.lock} is held with an OS file lock.
 * Durability: with {@link FileDurability#FSYNC} a completed append survives a process crash and, as far as
 * the disk honours {@code fsync}, a power loss; with {@link FileDurability#OS} it was written to the
 * operating system and survives a process crash only (no force: compaction still forces its new log).
 * After a write error the store refuses every further append.
 *
 * <p>Threading: {@link #append} may be called from any thread; the file, the image and the compaction
 * belong to the store's writer thread; the force threads of the {@link ForcePipeline} complete the futures
 * (the writer does, with {@link FileDurability#OS}).
 */
public final class FileClientSessionStore implements ClientSessionStore {
    /**
     * The size past which the log is compacted (once it is also four times its live content). Each
     * compaction waits for the forces, forces a new file and the directory, and the new file is then
     * extended with zeros again: on a disk shared with other writers that is a stall of up to hundreds of
     * milliseconds, so it is rare (every 200,000 or so QoS 1 messages of 64 bytes).
     */
    static final long COMPACT_MIN_BYTES = 32L * 1024 * 1024;
    /** How much the writer extends the file by, with zeros, when a write would pass its end. */
    static final int PREALLOCATE_BYTES = 4 * 1024 * 1024;
    /**
     * Forces of the log that may run at once; see {@link ForcePipeline}. One: while it runs, the writer
     * gathers what comes in and writes it at once when the force ends, and the next force covers all of
     * it. Measured against four (client-qos1, Mosquitto): less client CPU per message and a higher rate,
     * since a force costs a system call and a wake-up whatever it covers.
     */
    static final int FORCE_DEPTH = 1;
    /**
     * How long after a force began the writer still holds new records back for the next force: past it
     * (a flush that hangs) they are written to the operating system at once, so that a crash of the
     * process does not lose them.
     */
    static final Duration MAX_HOLD = Duration.ofMillis(20);

    /**
     * How long a compaction waits for a running force before it lets the writer go on (and tries again
     * after a later write): the writer writes nothing while it waits, so that the forces can end, but a
     * flush that hangs must not keep records from the operating system for longer.
     */
    static final Duration COMPACTION_HOLD = Duration.ofSeconds(1);

    private static final Logger LOG = LoggerFactory.getLogger(FileClientSessionStore.class);
    private static final Batch STOP = new Batch(List.of(), new CompletableFuture<>());

    private record Batch(List<SessionChange> changes, CompletableFuture<Void> done) {}

    private final Path file;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final SessionImage image;
    private final StoredSession loaded;
    private final LinkedBlockingQueue<Batch> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private volatile boolean closed;
    private FileChannel channel;
    /** The end of the last record written. */
    private long size;
    /** The length of the file: after {@link #size}, zeros. */
    private long allocated;

    private final ForcePipeline forces;
    private final FileDurability durability;
    private final long compactMinBytes;
    /** Zeros to extend the file with; never written to, so allocated (and zeroed) once. */
    private final ByteBuffer zeros = ByteBuffer.allocateDirect(64 * 1024);

    private FileClientSessionStore(
            Path file,
            FileChannel lockChannel,
            FileLock lock,
            FileDurability durability,
            UnaryOperator<FileChannel> wrap,
            long compactMinBytes)
            throws IOException {
        this.durability = durability;
        this.compactMinBytes = compactMinBytes;
        this.file = file;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.image = new SessionImage();
        this.channel = wrap.apply(
                FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE));
        this.size = replay();
        this.allocated = channel.size();
        this.loaded = image.snapshot();
        this.forces = new ForcePipeline(
                channel,
                size,
                durability == FileDurability.FSYNC ? FORCE_DEPTH : 0,
                MAX_HOLD,
                "berth-client-store " + file.getFileName());
        this.writer = new Thread(this::writeLoop, "berth-client-store " + file.getFileName());
        writer.setDaemon(true);
        writer.start();
    }

    /** Opens (or creates) the log at {@code file}, forcing every append; see {@link ClientSessionStore#file}. */
    public static FileClientSessionStore open(Path file) throws IOException {
        return open(file, FileDurability.FSYNC);
    }

    /** Opens (or creates) the log at {@code file}; see {@link ClientSessionStore#file(Path, FileDurability)}. */
    public static FileClientSessionStore open(Path file, FileDurability durability) throws IOException {
        return open(file, durability, c -> c);
    }

    /** Opens with the log's channel passed through {@code wrap}: for tests that inject failures. */
    static FileClientSessionStore open(Path file, UnaryOperator<FileChannel> wrap) throws IOException {
        return open(file, FileDurability.FSYNC, wrap);
    }

    static FileClientSessionStore open(Path file, FileDurability durability, UnaryOperator<FileChannel> wrap)
            throws IOException {
        return open(file, durability, wrap, COMPACT_MIN_BYTES);
    }

    /** Opens with the log compacted from {@code compactMinBytes} on: for tests of compaction. */
    static FileClientSessionStore open(
            Path file, FileDurability durability, UnaryOperator<FileChannel> wrap, long compactMinBytes)
            throws IOException {
        Path abs = file.toAbsolutePath();
        Files.createDirectories(abs.getParent());
        Path lockPath = abs.resolveSibling(abs.getFileName() + ".lock");
        FileChannel lockChannel = FileChannel.open(lockPath, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = lockChannel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            lockChannel.close();
            throw new IOException("session store " + abs + " is in use by another client (" + lockPath + ")");
        }
        try {
            return new FileClientSessionStore(abs, lockChannel, lock, durability, wrap, compactMinBytes);
        } catch (IOException | RuntimeException e) {
            lock.release();
            lockChannel.close();
            throw e;
        }
    }

    /** Reads the log into the image, truncates a torn tail, and returns the valid length. */
    private long replay() throws IOException {
        long length = channel.size();
        if (length < SessionLogFormat.HEADER_SIZE) {
            // new, or a crash cut the header short: nothing can have been committed yet
            channel.truncate(0);
            channel.write(SessionLogFormat.header(), 0);
            channel.force(true);
            forceDirectory();
            return SessionLogFormat.HEADER_SIZE;
        }
        if (length > Integer.MAX_VALUE) {
            throw new IOException("session log " + file + " is larger than 2 GiB");
        }
        ByteBuffer buf = ByteBuffer.allocate((int) length);
        while (buf.hasRemaining() && channel.read(buf, buf.position()) >= 0) {
            // read fully
        }
        buf.flip();
        byte[] magic = new byte[SessionLogFormat.MAGIC.length];
        buf.get(magic);
        int version = Arrays.equals(magic, SessionLogFormat.MAGIC) ? buf.get() : -1;
        if (version != SessionLogFormat.VERSION && version != SessionLogFormat.VERSION_1) {
            throw new IOException(file + " is not a Berth client session log (version " + SessionLogFormat.VERSION_1
                    + " or " + SessionLogFormat.VERSION + ")");
        }
        buf.position(SessionLogFormat.HEADER_SIZE);
        int records = 0;
        for (SessionChange c = SessionLogFormat.readRecord(buf); c != null; c = SessionLogFormat.readRecord(buf)) {
            image.apply(c);
            records++;
        }
        long valid = buf.position();
        if (valid < length && !zerosFrom(buf, (int) valid)) {
            LOG.warn(
                    "session log {}: truncating {} bytes of torn tail after {} records", file, length - valid, records);
            channel.truncate(valid);
            channel.force(true);
        }
        if (version == SessionLogFormat.VERSION_1) {
            // every version 1 record is a valid version 2 record; what follows may not be read by version 1
            channel.write(
                    ByteBuffer.wrap(new byte[] {(byte) SessionLogFormat.VERSION}), SessionLogFormat.VERSION_OFFSET);
            channel.force(true);
            LOG.info("session log {}: upgraded from format version 1 to {}", file, SessionLogFormat.VERSION);
        }
        return valid;
    }

    private static boolean zerosFrom(ByteBuffer buf, int from) {
        for (int i = from; i < buf.limit(); i++) {
            if (buf.get(i) != 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public StoredSession load() {
        return loaded;
    }

    @Override
    public synchronized CompletableFuture<Void> append(List<SessionChange> changes) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (closed) {
            done.completeExceptionally(new IOException("session store " + file + " is closed"));
            return done;
        }
        queue.add(new Batch(List.copyOf(changes), done));
        return done;
    }

    private void writeLoop() {
        List<Batch> batches = new ArrayList<>();
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        ByteBuffer out = ByteBuffer.allocateDirect(64 * 1024);
        boolean stop = false;
        while (!stop) {
            batches.clear();
            futures.clear();
            try {
                batches.add(queue.take());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            try {
                forces.awaitFreeForce();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            queue.drainTo(batches);
            out.clear();
            for (Batch b : batches) {
                stop |= b == STOP;
                if (b != STOP) {
                    futures.add(b.done());
                }
                for (SessionChange c : b.changes()) {
                    out = SessionLogFormat.writeRecord(c, out);
                    image.apply(c);
                }
            }
            try {
                IOException failure = forces.failure();
                if (failure != null) {
                    throw failure;
                }
                out.flip();
                writeFully(out);
                if (durability == FileDurability.FSYNC) {
                    forces.written(size, futures);
                } else {
                    futures.forEach(f -> f.complete(null));
                }
                maybeCompact();
            } catch (IOException e) {
                if (forces.failure() == null) {
                    LOG.error("session log {}: write failed, the store refuses further changes", file, e);
                }
                forces.fail(e);
                futures.forEach(f -> f.completeExceptionally(e));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void writeFully(ByteBuffer data) throws IOException {
        if (size + data.remaining() > allocated) {
            preallocate(size + data.remaining() + PREALLOCATE_BYTES);
        }
        while (data.hasRemaining()) {
            size += channel.write(data, size);
        }
    }

    /** Extends the file with zeros up to at least {@code end}; the next force makes the new length durable. */
    private void preallocate(long end) throws IOException {
        long at = allocated;
        while (at < end) {
            zeros.clear();
            at += channel.write(zeros, at);
        }
        allocated = at;
    }

    private void maybeCompact() throws IOException, InterruptedException {
        if (size < compactMinBytes || size < 4 * image.liveBytes()) {
            return;
        }
        if (!forces.awaitIdleWithin(COMPACTION_HOLD)) {
            return; // a flush hangs: compact after a later write; what waits is written now
        }
        if (forces.failure() != null) {
            throw forces.failure();
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".compact");
        StoredSession live = image.snapshot();
        ByteBuffer out = SessionLogFormat.writeLog(live, ByteBuffer.allocateDirect(64 * 1024));
        try (FileChannel c = FileChannel.open(
                tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            while (out.hasRemaining()) {
                c.write(out);
            }
            c.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        forceDirectory();
        long before = size;
        channel.close();
        channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        size = channel.size();
        allocated = size;
        forces.restart(channel, size);
        LOG.debug("session log {} compacted from {} to {} bytes", file, before, size);
    }

    private void forceDirectory() throws IOException {
        try (FileChannel dir = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException e) {
            LOG.debug("cannot force directory {}: {}", file.getParent(), e.toString());
        }
    }

    @Override
    public void close() throws IOException {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            queue.add(STOP);
        }
        try {
            writer.join();
            forces.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        channel.close();
        lock.release();
        lockChannel.close();
    }
}
