package io.berth.client.internal;

import io.berth.client.store.ClientSessionStore;
import io.berth.client.store.SessionChange;
import io.netty.channel.EventLoop;
import io.netty.channel.SingleThreadIoEventLoop;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * The changes the client makes to its session during one pass of its event loop, handed to the store as
 * one {@link ClientSessionStore#append} at the end of the pass, with one future for all of them. A QoS 1
 * message's arrival and its packet identifier (both made in the pass that publishes it when the window has
 * room), the removals of the messages that the pass's PUBACKs finished, and the changes of every other
 * message of the pass share one store write, one force and one hand-off back to the loop, where each
 * change used to have its own; a change that nobody waits on (a removal) adds no callback at all.
 *
 * <p>Order is kept: the store receives the changes in the order they were added, and batches in the order
 * of the passes. The callbacks of a batch run on the loop, in the order their changes were added, once the
 * whole batch is as durable as the store promises (or failed), and after the callbacks of every earlier
 * batch; at once, within the pass's end, when the store completed the append on the loop (the memory
 * store). Batches that a store completes together (one force covers the batches of many passes) are
 * reported in one task of the loop, not one task each.
 *
 * <p>Threading: owned by the client's event loop (the callbacks of a store that completes after the loop
 * ended run on the store's thread); the batches waiting for their append are guarded by their queue, since
 * such a store reads it from its thread.
 */
final class ChangeBatch {
    /** Told on the loop whether the change it was added with is durable. */
    interface Done {
        void run(@Nullable Throwable failure);
    }

    /** A batch whose callbacks wait for its append. */
    private record Waiting(CompletableFuture<Void> appended, List<Done> callbacks) {}

    private final ClientSessionStore store;
    private final EventLoop loop;
    private final Runnable flush = this::flush;
    private final Runnable report = this::report;
    /** Batches with callbacks, in append order; guarded by itself (the loop, or a store after the loop). */
    private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
    /** A {@link #report} task is on its way to the loop. */
    private final AtomicBoolean reportScheduled = new AtomicBoolean();

    private List<SessionChange> changes = new ArrayList<>();
    private List<Done> callbacks = new ArrayList<>();
    private boolean scheduled;

    ChangeBatch(ClientSessionStore store, EventLoop loop) {
        this.store = store;
        this.loop = loop;
    }

    /** Adds a change that nobody waits on; it is appended at the end of this pass of the loop. */
    void add(SessionChange change) {
        assert loop.inEventLoop();
        changes.add(change);
        schedule();
    }

    /** Adds a change; {@code done} runs on the loop once the batch holding it is durable, or failed. */
    void add(SessionChange change, Done done) {
        add(change);
        callbacks.add(done);
    }

    private void schedule() {
        if (scheduled) {
            return;
        }
        scheduled = true;
        if (loop instanceof SingleThreadIoEventLoop l) {
            // runs after the I/O events and the tasks of this pass (an I/O loop runs these tail tasks each pass)
            l.executeAfterEventLoopIteration(flush);
        } else {
            loop.execute(flush);
        }
    }

    /** Appends what was added since the last flush; also called before the client closes. */
    void flush() {
        scheduled = false;
        if (changes.isEmpty()) {
            return;
        }
        List<SessionChange> batch = changes;
        List<Done> done = callbacks;
        changes = new ArrayList<>(batch.size());
        callbacks = new ArrayList<>(done.size());
        CompletableFuture<Void> appended = store.append(batch);
        if (done.isEmpty()) {
            return;
        }
        synchronized (waiting) {
            if (appended.isDone() && waiting.isEmpty() && loop.inEventLoop()) {
                notify(done, failureOf(appended));
                return;
            }
            waiting.add(new Waiting(appended, done));
        }
        appended.whenComplete((v, e) -> scheduleReport());
    }

    /**
     * Has the completed batches reported on the loop, by one task for all that complete before it runs; or
     * here once the loop has ended: a store that completes after the client closed still reports every
     * change (a message's {@code stored()}), and nobody else touches the session's state then.
     */
    private void scheduleReport() {
        if (reportScheduled.compareAndSet(false, true)) {
            try {
                loop.execute(report);
            } catch (RejectedExecutionException e) {
                report();
            }
        }
    }

    /** Runs the callbacks of the completed batches at the head, in append order. */
    private void report() {
        reportScheduled.set(false); // a batch that completes from now on schedules the next report
        synchronized (waiting) {
            for (Waiting w = waiting.peek(); w != null && w.appended().isDone(); w = waiting.peek()) {
                waiting.poll();
                notify(w.callbacks(), failureOf(w.appended()));
            }
        }
    }

    private static @Nullable Throwable failureOf(CompletableFuture<Void> done) {
        try {
            done.join();
            return null;
        } catch (RuntimeException e) {
            return e.getCause() != null ? e.getCause() : e;
        }
    }

    private static void notify(List<Done> waiting, @Nullable Throwable failure) {
        for (Done d : waiting) {
            d.run(failure);
        }
    }
}
