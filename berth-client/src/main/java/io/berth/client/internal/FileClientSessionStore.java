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
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A durable {@link ClientSessionStore}: one append-only log file of {@link SessionChange} records (format in
 * {@link SessionLogFormat}), written with group commit. An append writes its records to the operating system
 * at once, on the caller's thread (the client's event loop: into the page cache, no force, no thread woken);
 * a {@link ForcePipeline} forces the log, {@value #FORCE_DEPTH} force at a time, each covering everything
 * written before it began (under load, all that came during the previous one and its pause of {@link
 * #FORCE_PAUSE}, which a write that holds back a QoS 2 packet cuts short), and completes the futures.
 *
 * <p>The file is preallocated: when a write would pass its end, the store first extends it by
 * {@value #PREALLOCATE_BYTES} bytes of zeros, so that the records that follow overwrite blocks that already
 * belong to the file and a force ({@code fdatasync}) writes only them, without a journal commit for the
 * file's size. The zeros after the last record end the log when it is read (a record's length is at least
 * 1).
 *
 * <p>On open the log is replayed into a {@link SessionImage}. A torn tail (a record cut short or failing its
 * CRC, whatever follows it) is truncated; a tail of zeros only is the preallocated room and stays. When the
 * file has grown past {@value #COMPACT_MIN_BYTES} bytes and past four times the live content, a compaction
 * thread writes the live content as a new log next to it ({@code <name>.compact}), forces it, renames it over
 * the old one atomically and forces the directory: a crash at any point leaves either the old or the new log,
 * both complete. Meanwhile appends wait in memory, and are written to the new log when it is in place.
 *
 * <p>A second store on the same file fails fast: {@code <name>.lock} is held with an OS file lock.
 * Durability: with {@link FileDurability#FSYNC} a completed append survives a process crash and, as far as
 * the disk honours {@code fsync}, a power loss; with {@link FileDurability#OS} it was written to the
 * operating system and survives a process crash only (no force: compaction still forces its new log).
 * After a write error the store refuses every further append.
 *
 * <p>Threading: {@link #append} may be called from any thread; the file, the image and the appends waiting
 * for a compaction are guarded by the store's monitor; the compaction thread writes the new log outside it;
 * the force threads of the {@link ForcePipeline} complete the futures (the appending thread does, with
 * {@link FileDurability#OS}).
 */
public final class FileClientSessionStore implements ClientSessionStore {
    /**
     * The size past which the log is compacted (once it is also four times its live content). Each
     * compaction waits for the forces, forces a new file and the directory, and the new file is then
     * extended with zeros again: on a disk shared with other writers that is a stall of up to hundreds of
     * milliseconds, so it is rare (every 200,000 or so QoS 1 messages of 64 bytes).
     */
    static final long COMPACT_MIN_BYTES = 32L * 1024 * 1024;
    /** How much a write extends the file by, with zeros, when it would pass its end. */
    static final int PREALLOCATE_BYTES = 4 * 1024 * 1024;
    /**
     * Forces of the log that may run at once ({@link ForcePipeline}); one: what is written while it runs is
     * covered by the next. Measured against four: less CPU per message, a higher rate (ADR 17 addendum).
     */
    static final int FORCE_DEPTH = 1;
    /**
     * How long a force that follows another back to back waits after it for more records ({@link
     * ForcePipeline}): a steady stream is forced about once per millisecond instead of once per flush
     * time, each force covering more, for less of the kernel's and the disk's time per record (ADR 22).
     */
    static final Duration FORCE_PAUSE = Duration.ofMillis(1);
    /**
     * How long a compaction waits for the running force before it gives up (and is tried again after a
     * later write): appends wait in memory meanwhile, so that the forces can end, but a flush that hangs
     * must not keep records from the operating system for longer.
     */
    static final Duration COMPACTION_HOLD = Duration.ofSeconds(1);

    private static final Logger LOG = LoggerFactory.getLogger(FileClientSessionStore.class);
    /** Changes appended while a compaction runs, with their future: written once the new log is in place. */
    private record Batch(List<SessionChange> changes, CompletableFuture<Void> done) {}

    private final Path file;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final SessionImage image;
    private final StoredSession loaded;
    private final String name;
    private boolean closed;
    /** The running compaction's thread, or null; appends wait in {@link #held} while it runs. */
    private @Nullable Thread compaction;

    private final List<Batch> held = new ArrayList<>();
    /** Records are encoded here before their write; grows with the largest append. */
    private ByteBuffer out = ByteBuffer.allocateDirect(64 * 1024);

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
        this.name = "berth-client-store " + file.getFileName();
        this.forces = new ForcePipeline(
                channel, size, durability == FileDurability.FSYNC ? FORCE_DEPTH : 0, FORCE_PAUSE, name);
    }

    /** Opens (or creates) the log at {@code file}, forcing every append; see {@link ClientSessionStore#file}. */
    public static FileClientSessionStore open(Path file) throws IOException {
        return open(file, FileDurability.FSYNC);
    }

    /** Opens (or creates) the log at {@code file}; see {@link ClientSessionStore#file(Path, FileDurability)}. */
    public static FileClientSessionStore open(Path file, FileDurability durability) throws IOException {
        return open(file, durability, c -> c, COMPACT_MIN_BYTES);
    }

    /** Opens with the log's channel passed through {@code wrap}: for tests that inject failures. */
    static FileClientSessionStore open(Path file, UnaryOperator<FileChannel> wrap) throws IOException {
        return open(file, FileDurability.FSYNC, wrap, COMPACT_MIN_BYTES);
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
            AtomicFiles.forceDirectoryOf(file);
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
        if (valid < length && !SessionLogFormat.zerosFrom(buf, (int) valid)) {
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

    @Override
    public StoredSession load() {
        return loaded;
    }

    @Override
    public synchronized CompletableFuture<Void> append(List<SessionChange> changes) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        IOException failure = forces.failure();
        if (closed || failure != null) {
            done.completeExceptionally(
                    failure != null ? failure : new IOException("session store " + file + " is closed"));
        } else if (compaction != null) {
            held.add(new Batch(List.copyOf(changes), done));
        } else {
            write(changes, List.of(done));
            compactIfDue();
        }
        return done;
    }

    /** Lock held: starts a compaction when the log is due for one (none runs). */
    private void compactIfDue() {
        if (size >= compactMinBytes && size >= 4 * image.liveBytes() && forces.failure() == null) {
            compaction = new Thread(this::compact, name + " compaction");
            compaction.setDaemon(true);
            compaction.start();
        }
    }

    /** Lock held: writes {@code changes} to the OS and has {@code futures} completed when they are durable. */
    private void write(List<SessionChange> changes, List<CompletableFuture<Void>> futures) {
        out.clear();
        boolean urgent = false;
        for (SessionChange c : changes) {
            out = SessionLogFormat.writeRecord(c, out);
            urgent = urgent || image.holdsBackTheWire(c); // no lookup once one is
        }
        out.flip();
        try {
            writeFully(out);
        } catch (IOException e) {
            if (forces.failure() == null) {
                LOG.error("session log {}: write failed, the store refuses further changes", file, e);
            }
            forces.fail(e);
            futures.forEach(f -> f.completeExceptionally(e));
            return;
        }
        changes.forEach(image::apply);
        if (durability == FileDurability.FSYNC) {
            forces.written(size, futures, urgent);
        } else {
            futures.forEach(f -> f.complete(null));
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

    /**
     * The compaction thread: once the forces of what was written are done (appends wait meanwhile), writes
     * the live content as a new log, puts it in place of the old one, and writes what waited. Gives up if
     * the running force has run {@link #COMPACTION_HOLD} (what waited is written to the old log), and fails
     * the store if the new log cannot be written.
     */
    private void compact() {
        @Nullable IOException failed = null;
        boolean compacted = false;
        try {
            if (forces.awaitIdleWithin(COMPACTION_HOLD) && forces.failure() == null) {
                StoredSession live;
                synchronized (this) {
                    live = image.snapshot(); // appends wait in held: the image stays as it is
                }
                replaceLog(live);
                compacted = true;
            }
        } catch (IOException e) {
            failed = e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failed = new IOException("session log " + file + ": compaction interrupted", e);
        }
        synchronized (this) {
            compaction = null;
            if (failed != null) {
                LOG.error("session log {}: compaction failed, the store refuses further changes", file, failed);
                forces.fail(failed);
            }
            for (Batch b : held) {
                if (forces.failure() != null) {
                    b.done().completeExceptionally(forces.failure());
                } else {
                    write(b.changes(), List.of(b.done()));
                }
            }
            held.clear();
            if (compacted && !closed) {
                compactIfDue(); // what waited may have made it due again (after a hung flush: the next write)
            }
        }
    }

    /** Writes {@code live} as a new log, forced, and renames it over the old one; the store's log from now on. */
    private void replaceLog(StoredSession live) throws IOException {
        AtomicFiles.replace(file, SessionLogFormat.writeLog(live, ByteBuffer.allocateDirect(64 * 1024)));
        synchronized (this) {
            long before = size;
            channel.close();
            channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
            size = channel.size();
            allocated = size;
            forces.restart(channel, size);
            LOG.debug("session log {} compacted from {} to {} bytes", file, before, size);
        }
    }

    @Override
    public void close() throws IOException {
        Thread running;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            running = compaction;
        }
        try {
            if (running != null) {
                running.join(); // it writes what waited for it
            }
            forces.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            channel.close(); // after the forces: nothing writes or forces now
        }
        lock.release();
        lockChannel.close();
    }
}
