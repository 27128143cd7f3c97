package io.berth.client.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * Forces a log file to disk behind its writer and completes each write's futures once a force that began
 * after the write has finished. Up to {@code depth} forces run at once, each on a thread of its own: a
 * force starts as soon as the writer has written something that no running force covers, instead of
 * waiting for the previous force to end. On a disk whose flush takes longer than the client needs to
 * produce the next batch, this cuts the wait of a change from up to two flushes to about one.
 *
 * <p>With a {@code pause}, a force that follows another back to back (something was written while the
 * previous one ran) first waits until {@code pause} after the previous one ended, or until {@value
 * #PAUSE_BYTES} bytes wait, or until an urgent write (one that holds a packet back from the wire) waits: a
 * steady stream of writes is forced in fewer, larger forces. A write after a quiet spell is forced at once
 * (ADR 22).
 *
 * <p>Results are applied in the order the forces began, so a change is never reported durable before an
 * earlier one, and a force that fails fails every change not yet reported, even when a later force
 * succeeded (after a failed flush the kernel may report the next one clean without the lost data). After
 * a failure every further change fails.
 *
 * <p>Threading: {@link #written}, {@link #restart} and {@link #close} are called by the log's writer (any
 * thread, one at a time: the store's monitor), {@link #awaitIdleWithin} by its compaction thread; the force
 * threads run the forces and complete the futures. The shared fields are guarded by {@code lock}.
 */
final class ForcePipeline {
    /** Written and not yet covered by a force: a pausing force starts at once from this many bytes on. */
    static final long PAUSE_BYTES = 256 * 1024;

    private record Waiter(long end, CompletableFuture<Void> done) {}

    private record Result(long target, @Nullable IOException error) {}

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    private final Condition idle = lock.newCondition();
    private final ArrayDeque<Waiter> waiting = new ArrayDeque<>();
    private final Map<Long, Result> finished = new HashMap<>();
    private final List<Thread> threads = new ArrayList<>();
    private final int depth;
    /** How long a force that follows another back to back waits after it, for more to cover; 0: none. */
    private final long pauseNanos;
    /** When each running force began ({@link System#nanoTime}), by ticket. */
    private final Map<Long, Long> startedAt = new HashMap<>();

    private FileChannel channel;
    /** The end of what the writer has handed to the OS. */
    private long written;
    /** The end of what the latest force to begin covers. */
    private long requested;

    private long nextTicket;
    private long nextApplied;
    private int running;
    private @Nullable IOException failure;
    private boolean stopping;
    /** Something was written while the last force ran: the next one pauses (see {@link #pauseNanos}). */
    private boolean backToBack;
    /** Something written and not yet covered by a force that began is urgent: a pause ends at once. */
    private boolean urgent;
    /** When the last force ended ({@link System#nanoTime}). */
    private long lastEnd;
    /** A force thread waits in its pause: the writer wakes it only once {@link #PAUSE_BYTES} wait. */
    private boolean pausing;

    ForcePipeline(FileChannel channel, long size, int depth, Duration pause, String name) {
        this.pauseNanos = pause.toNanos();
        this.channel = channel;
        this.written = size;
        this.requested = size;
        this.depth = depth;
        for (int i = 0; i < depth; i++) {
            Thread t = new Thread(this::forceLoop, name + " force-" + i);
            t.setDaemon(true);
            threads.add(t);
        }
        threads.forEach(Thread::start);
    }

    /**
     * The writer wrote the log up to {@code end}: {@code futures} complete when that is on disk, or fail
     * with the first failure of the log. {@code urgent}: something waits for it to be on disk before it
     * can go on (a packet held back from the wire), so a pausing force begins at once.
     */
    void written(long end, List<CompletableFuture<Void>> futures, boolean urgent) {
        @Nullable IOException failed;
        boolean alreadyDurable = false;
        lock.lock();
        try {
            failed = failure;
            if (failed == null && end <= requested && running == 0 && finished.isEmpty()) {
                alreadyDurable = true; // nothing new: every force that began has been applied
            } else if (failed == null) {
                futures.forEach(f -> waiting.add(new Waiter(end, f)));
                written = end;
                this.urgent |= urgent;
                if (!pausing || this.urgent || written - requested >= PAUSE_BYTES) {
                    work.signal();
                }
            }
        } finally {
            lock.unlock();
        }
        if (failed != null) {
            futures.forEach(f -> f.completeExceptionally(failed));
        } else if (alreadyDurable) {
            futures.forEach(f -> f.complete(null));
        }
    }

    /** The writer failed: every change not yet reported fails, and so does every later one. */
    void fail(IOException e) {
        List<Waiter> failed;
        lock.lock();
        try {
            if (failure == null) {
                failure = e;
            }
            failed = new ArrayList<>(waiting);
            waiting.clear();
            idle.signalAll();
        } finally {
            lock.unlock();
        }
        failed.forEach(w -> w.done().completeExceptionally(e));
    }

    /** The first failure of the log, or null. */
    @Nullable
    IOException failure() {
        lock.lock();
        try {
            return failure;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until everything written is forced and reported and no force runs, but only while no force has
     * run for {@code hold}: returns false then (a flush that hangs must not keep a compaction, and the
     * appends it holds back, waiting), true once idle or once the log failed.
     */
    boolean awaitIdleWithin(Duration hold) throws InterruptedException {
        long holdNanos = hold.toNanos();
        lock.lock();
        try {
            while (failure == null && (running > 0 || requested < written || !waiting.isEmpty())) {
                long left = holdLeftNanos(holdNanos);
                if (left <= 0) {
                    return false;
                }
                idle.awaitNanos(left);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Lock held: how long the oldest running force may still run before it has run {@code hold} (all of it when none runs). */
    private long holdLeftNanos(long hold) {
        Long oldest = startedAt.get(nextApplied);
        return oldest == null ? hold : oldest + hold - System.nanoTime();
    }

    /** After {@link #awaitIdleWithin} returned true: forces go to {@code newChannel} from now on, which is {@code size} long. */
    void restart(FileChannel newChannel, long size) {
        lock.lock();
        try {
            channel = newChannel;
            written = size;
            requested = size;
        } finally {
            lock.unlock();
        }
    }

    /** Forces what is left, then ends the force threads. */
    void close() throws InterruptedException {
        lock.lock();
        try {
            stopping = true;
            work.signalAll();
        } finally {
            lock.unlock();
        }
        for (Thread t : threads) {
            t.join();
        }
    }

    private void forceLoop() {
        while (true) {
            long target;
            long ticket;
            FileChannel ch;
            lock.lock();
            try {
                while (!stopping && (failure != null || requested >= written)) {
                    work.awaitUninterruptibly();
                }
                if (failure != null || requested >= written) {
                    return; // stopping, and nothing is left to force
                }
                if (backToBack) {
                    pause();
                }
                target = written;
                requested = target;
                urgent = false;
                ticket = nextTicket++;
                startedAt.put(ticket, System.nanoTime());
                ch = channel;
                running++;
            } finally {
                lock.unlock();
            }
            @Nullable IOException error = null;
            try {
                ch.force(false);
            } catch (IOException e) {
                error = e;
            }
            finish(ticket, new Result(target, error));
        }
    }

    /**
     * Lock held: waits until {@link #pauseNanos} after the last force ended, until {@link #PAUSE_BYTES}
     * wait, or until an urgent write waits, so that a steady stream of writes is forced in fewer, larger forces (each costs the kernel and
     * the disk about the same whatever it covers). Only a force that follows another back to back pauses: a
     * write after a quiet spell is forced at once.
     */
    private void pause() {
        backToBack = false;
        pausing = true;
        try {
            long left;
            while (!stopping
                    && failure == null
                    && !urgent
                    && written - requested < PAUSE_BYTES
                    && (left = lastEnd + pauseNanos - System.nanoTime()) > 0) {
                work.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // a force thread is not interrupted; if it is, it forces at once
        } finally {
            pausing = false;
        }
    }

    /** Applies the results of the forces in the order they began, then completes the futures. */
    private void finish(long ticket, Result result) {
        List<Waiter> durable = new ArrayList<>();
        List<Waiter> failed = new ArrayList<>();
        @Nullable IOException cause;
        lock.lock();
        try {
            running--;
            startedAt.remove(ticket);
            finished.put(ticket, result);
            for (Result r = finished.remove(nextApplied); r != null; r = finished.remove(nextApplied)) {
                nextApplied++;
                if (r.error() != null && failure == null) {
                    failure = r.error();
                }
                while (!waiting.isEmpty() && (failure != null || waiting.peek().end() <= r.target())) {
                    (failure == null ? durable : failed).add(waiting.poll());
                }
            }
            cause = failure;
            idle.signalAll();
            lastEnd = System.nanoTime();
            if (requested < written) {
                backToBack = pauseNanos > 0;
                work.signal();
            }
        } finally {
            lock.unlock();
        }
        durable.forEach(w -> w.done().complete(null));
        failed.forEach(w -> w.done().completeExceptionally(cause));
    }
}
