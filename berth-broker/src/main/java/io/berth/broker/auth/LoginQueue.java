package io.berth.broker.auth;

import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetAddress;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Schedules the logins of every address on a few hashing threads, fairly: each source address has its
 * own FIFO queue, at most {@code perAddress} of its logins are in flight at a time (waiting out the
 * failed-login back-off, being hashed, or in a SCRAM exchange), and the threads serve the addresses
 * that have a login ready in round robin. One address flooding wrong passwords thus fills only its own
 * queue: it gets its share of the threads and no more, and every other address's login is served
 * after at most one login of each address ahead of it.
 *
 * <p>A login is a function of its {@link Turn}, run on a hashing thread once the address's back-off has
 * passed. It holds its address's place until {@link Turn#release} (a SCRAM exchange keeps it across the
 * round trip to the client). A login whose future is cancelled before it runs is skipped.
 *
 * <p>Threading: every method may be called from any thread; the queues are guarded by this object's
 * monitor; the work runs on the pool's threads, outside the monitor.
 */
final class LoginQueue implements AutoCloseable {
    private final int threads;
    private final int perAddress;
    private final int maxWaiting;
    private final LoginBackoff backoff;
    private final ScheduledThreadPoolExecutor pool;
    private final Map<InetAddress, AddressQueue> queues = new HashMap<>();
    /** Addresses with a login ready to run, served in turn. */
    private final Deque<AddressQueue> ready = new ArrayDeque<>();

    private int running;
    private int waiting;

    LoginQueue(int threads, int perAddress, int maxWaiting, LoginBackoff backoff) {
        this.threads = threads;
        this.perAddress = perAddress;
        this.maxWaiting = maxWaiting;
        this.backoff = backoff;
        this.pool = new ScheduledThreadPoolExecutor(threads, new DefaultThreadFactory("berth-auth", true));
        this.pool.setRemoveOnCancelPolicy(true);
    }

    /** A login's place in its address's queue, held from the time it runs until released. */
    interface Turn {
        /** Frees the place for the address's next login; idempotent. */
        void release();
    }

    /**
     * Queues {@code work} for {@code address} (null: a queue of its own); null when too many logins are
     * waiting already.
     */
    <T> @Nullable CompletableFuture<T> submit(@Nullable InetAddress address, Function<Turn, T> work) {
        Login<T> login = new Login<>(work);
        synchronized (this) {
            if (waiting >= maxWaiting) {
                return null;
            }
            waiting++;
            AddressQueue q =
                    address == null ? new AddressQueue(null) : queues.computeIfAbsent(address, AddressQueue::new);
            q.waiting.add(login);
            admit(q);
        }
        return login.future;
    }

    /** Logins waiting for their turn or a thread, for tests and metrics. */
    synchronized int waiting() {
        return waiting;
    }

    /** Moves the address's next logins into flight while it has places; each first waits its back-off. */
    private void admit(AddressQueue q) {
        while (q.inFlight < perAddress && !q.waiting.isEmpty()) {
            Login<?> login = q.waiting.poll();
            q.inFlight++;
            long delay = q.address == null ? 0 : backoff.delayMillis(q.address);
            if (delay > 0) {
                pool.schedule(() -> ready(q, login), delay, TimeUnit.MILLISECONDS);
            } else {
                readyLocked(q, login);
            }
        }
    }

    private synchronized void ready(AddressQueue q, Login<?> login) {
        readyLocked(q, login);
    }

    private void readyLocked(AddressQueue q, Login<?> login) {
        q.ready.add(login);
        if (q.ready.size() == 1) {
            ready.add(q);
        }
        dispatch();
    }

    /** Starts ready logins on free threads, one per address in turn. */
    private void dispatch() {
        while (running < threads && !ready.isEmpty()) {
            AddressQueue q = ready.poll();
            Login<?> login = q.ready.poll();
            if (!q.ready.isEmpty()) {
                ready.add(q);
            }
            running++;
            waiting--;
            pool.execute(() -> run(q, login));
        }
    }

    private <T> void run(AddressQueue q, Login<T> login) {
        TurnOf turn = new TurnOf(q);
        try {
            if (login.future.isDone()) {
                turn.release(); // cancelled while it waited: nothing to check
                return;
            }
            T result = login.work.apply(turn);
            if (!login.future.complete(result)) {
                turn.release();
            }
        } catch (RuntimeException | Error e) {
            turn.release();
            login.future.completeExceptionally(e);
        } finally {
            synchronized (this) {
                running--;
                dispatch();
            }
        }
    }

    private synchronized void released(AddressQueue q) {
        q.inFlight--;
        admit(q);
        if (q.address != null && q.inFlight == 0 && q.waiting.isEmpty()) {
            queues.remove(q.address);
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }

    private final class TurnOf implements Turn {
        private final AddressQueue q;
        private boolean released;

        TurnOf(AddressQueue q) {
            this.q = q;
        }

        @Override
        public void release() {
            synchronized (LoginQueue.this) {
                if (released) {
                    return;
                }
                released = true;
                released(q);
            }
        }
    }

    private static final class Login<T> {
        final Function<Turn, T> work;
        final CompletableFuture<T> future = new CompletableFuture<>();

        Login(Function<Turn, T> work) {
            this.work = work;
        }
    }

    /** Threading: guarded by the queue's monitor. */
    private static final class AddressQueue {
        final @Nullable InetAddress address;
        final Deque<Login<?>> waiting = new ArrayDeque<>();
        final Deque<Login<?>> ready = new ArrayDeque<>();
        int inFlight;

        AddressQueue(@Nullable InetAddress address) {
            this.address = address;
        }
    }
}
