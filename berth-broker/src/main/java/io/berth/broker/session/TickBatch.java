package io.berth.broker.session;

import io.berth.broker.store.SessionStore;
import io.berth.broker.store.StoreCommand;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The store commands a shard collects during one tick, per store, with what waits for their commit.
 * At the end of the tick each store gets one submission with all of them, and its completion comes back
 * to the shard once, not once per command. The commands of one store are submitted in the order they
 * were added.
 *
 * <p>Threading: owned by its shard's thread; completions are handed back to it with {@code onShard}.
 */
final class TickBatch {
    /** Told on the shard when the commands added before it committed ({@code error} when they did not). */
    @FunctionalInterface
    interface Committed {
        void committed(@Nullable Throwable error);
    }

    /** One store's commands and waiters of this tick. */
    private static final class Group {
        final SessionStore store;
        List<StoreCommand> commands = new ArrayList<>();
        List<Committed> waiters = new ArrayList<>();

        Group(SessionStore store) {
            this.store = store;
        }

        boolean isEmpty() {
            return commands.isEmpty() && waiters.isEmpty();
        }
    }

    private final List<Group> groups = new ArrayList<>(2);
    private final Consumer<Runnable> onShard;
    private long submissions;

    /** @param onShard runs a task on the shard's thread (now when already there) */
    TickBatch(Consumer<Runnable> onShard) {
        this.onShard = onShard;
    }

    private Group group(SessionStore store) {
        for (Group g : groups) {
            if (g.store == store) {
                return g;
            }
        }
        Group g = new Group(store);
        groups.add(g);
        return g;
    }

    /** Adds a command for {@code store} to this tick's submission. */
    void add(SessionStore store, StoreCommand command) {
        group(store).commands.add(command);
    }

    /** Tells {@code waiter} when everything added for {@code store} so far has committed. */
    void whenCommitted(SessionStore store, Committed waiter) {
        group(store).waiters.add(waiter);
    }

    boolean isEmpty() {
        for (Group g : groups) {
            if (!g.isEmpty()) {
                return false;
            }
        }
        return true;
    }

    /** How many submissions the batch made (for tests and metrics). */
    long submissions() {
        return submissions;
    }

    /**
     * Submits each store's commands of this tick as one list. Waiters of a store without commands are
     * told at once. A store that completes synchronously tells its waiters before this returns; what they
     * add goes into the next submission.
     */
    void flush() {
        // by index: a store that completes synchronously may add a group while its waiters are told
        for (int i = 0; i < groups.size(); i++) {
            Group g = groups.get(i);
            if (g.isEmpty()) {
                continue;
            }
            List<StoreCommand> commands = g.commands;
            List<Committed> waiters = g.waiters;
            g.commands = new ArrayList<>();
            g.waiters = new ArrayList<>();
            if (commands.isEmpty()) {
                tell(waiters, null);
                continue;
            }
            submissions++;
            g.store.submit(commands).whenComplete((v, error) -> onShard.accept(() -> tell(waiters, error)));
        }
    }

    private static void tell(List<Committed> waiters, @Nullable Throwable error) {
        for (Committed w : waiters) {
            w.committed(error);
        }
    }
}
