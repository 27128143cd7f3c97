package io.berth.broker.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.broker.store.SessionStore;
import io.berth.broker.store.StoreCommand;
import io.berth.broker.store.memory.MemorySessionStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class TickBatchTest {
    /** A store that records each submission and completes when told. */
    private static final class PendingStore extends MemorySessionStoreDelegate {
        final List<List<StoreCommand>> submitted = new ArrayList<>();
        final List<CompletableFuture<Void>> futures = new ArrayList<>();

        @Override
        public CompletableFuture<Void> submit(List<StoreCommand> commands) {
            submitted.add(List.copyOf(commands));
            CompletableFuture<Void> f = new CompletableFuture<>();
            futures.add(f);
            return f;
        }
    }

    /** Everything but submit from the memory store. */
    private abstract static class MemorySessionStoreDelegate implements SessionStore {
        private final MemorySessionStore memory = new MemorySessionStore();

        @Override
        public Recovery recover() {
            return memory.recover();
        }

        @Override
        public List<io.berth.broker.store.QueuedMessage> readQueue(String clientId, long from, long to, int max) {
            return memory.readQueue(clientId, from, to, max);
        }

        @Override
        public io.berth.broker.store.StoredMessage readRetained(String topic) {
            return memory.readRetained(topic);
        }

        @Override
        public boolean durable() {
            return true;
        }

        @Override
        public String describe() {
            return "pending";
        }

        @Override
        public void close() {}
    }

    private final List<Runnable> handedBack = new ArrayList<>();
    private final TickBatch batch = new TickBatch(handedBack::add, () -> {});
    private final List<String> told = new ArrayList<>();

    @Test
    void commandsOfOneTick_oneSubmissionInOrder_waitersToldOnceWhenItCommits() {
        PendingStore store = new PendingStore();
        batch.add(store, new StoreCommand.PutInbound("a", 1));
        batch.whenCommitted(store, e -> told.add("first " + e));
        batch.add(store, new StoreCommand.PutInbound("a", 2));
        batch.whenCommitted(store, e -> told.add("second " + e));
        batch.flush();

        assertThat(store.submitted)
                .containsExactly(List.of(new StoreCommand.PutInbound("a", 1), new StoreCommand.PutInbound("a", 2)));
        assertThat(told).isEmpty();
        store.futures.get(0).complete(null);
        assertThat(handedBack).hasSize(1);
        handedBack.get(0).run();
        assertThat(told).containsExactly("first null", "second null");
        assertThat(batch.isEmpty()).isTrue();
    }

    @Test
    void failedSubmission_everyWaiterOfItHearsTheError() {
        PendingStore store = new PendingStore();
        batch.add(store, new StoreCommand.DeleteInbound("a", 1));
        batch.whenCommitted(store, e -> told.add(e.getMessage()));
        batch.flush();
        store.futures.get(0).completeExceptionally(new IllegalStateException("disk full"));
        handedBack.forEach(Runnable::run);
        assertThat(told).containsExactly("disk full");
    }

    @Test
    void waiterWithoutCommands_toldAtFlushWithoutASubmission() {
        PendingStore store = new PendingStore();
        batch.whenCommitted(store, e -> told.add("now"));
        batch.flush();
        assertThat(told).containsExactly("now");
        assertThat(store.submitted).isEmpty();
    }

    @Test
    void twoStores_oneSubmissionEach() {
        PendingStore durable = new PendingStore();
        PendingStore other = new PendingStore();
        batch.add(durable, new StoreCommand.PutInbound("a", 1));
        batch.add(other, new StoreCommand.PutInbound("b", 1));
        batch.add(durable, new StoreCommand.PutInbound("a", 2));
        batch.flush();
        assertThat(durable.submitted).hasSize(1);
        assertThat(other.submitted).hasSize(1);
        assertThat(batch.submissions()).isEqualTo(2);
    }

    @Test
    void synchronousStore_waiterAddsForAnotherStore_submittedInTheSameFlush() {
        MemorySessionStore memory = new MemorySessionStore();
        PendingStore durable = new PendingStore();
        TickBatch inline = new TickBatch(Runnable::run, () -> {});
        inline.add(memory, new StoreCommand.PutInbound("a", 1));
        inline.whenCommitted(memory, e -> inline.add(durable, new StoreCommand.PutInbound("b", 1)));
        inline.flush();
        assertThat(durable.submitted).containsExactly(List.of(new StoreCommand.PutInbound("b", 1)));
        assertThat(inline.isEmpty()).isTrue();
    }
}
