package io.berth.broker.session;

import io.berth.broker.store.QueuedMessage;
import io.berth.broker.store.SessionStore;
import io.berth.broker.store.StoreCommand;
import io.berth.broker.store.StoredMessage;
import io.berth.broker.store.memory.MemorySessionStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * A store whose commits complete only when the test says ({@link #commitAll}, {@link #failAll}), and that,
 * like the RocksDB store, lets a QoS 1 message be sent before its commit (ADR 18). What it commits goes
 * into an in-memory store, and into {@link #written} in the order it reached it.
 *
 * <p>Threading: the test thread.
 */
final class HeldCommitStore implements SessionStore {
    private record Submission(List<StoreCommand> commands, CompletableFuture<Void> future) {}

    private final MemorySessionStore memory = new MemorySessionStore();
    private final List<Submission> waiting = new ArrayList<>();
    /** Every command submitted so far, in submission order. */
    final List<StoreCommand> submitted = new ArrayList<>();
    /** Every command committed so far, in commit order. */
    final List<StoreCommand> written = new ArrayList<>();

    @Override
    public CompletableFuture<Void> submit(List<StoreCommand> commands) {
        CompletableFuture<Void> future = new CompletableFuture<>();
        submitted.addAll(commands);
        waiting.add(new Submission(List.copyOf(commands), future));
        return future;
    }

    /** Commits what waits, in order. */
    void commitAll() {
        List<Submission> now = List.copyOf(waiting);
        waiting.clear();
        for (Submission s : now) {
            memory.submit(s.commands()).join();
            written.addAll(s.commands());
            s.future().complete(null);
        }
    }

    /** Fails what waits: none of it is written. */
    void failAll(Throwable error) {
        List<Submission> now = List.copyOf(waiting);
        waiting.clear();
        for (Submission s : now) {
            s.future().completeExceptionally(error);
        }
    }

    @Override
    public Recovery recover() {
        return memory.recover();
    }

    @Override
    public List<QueuedMessage> readQueue(String clientId, long fromSeq, long toSeq, int max) {
        return memory.readQueue(clientId, fromSeq, toSeq, max);
    }

    @Override
    public @Nullable StoredMessage readRetained(String topic) {
        return memory.readRetained(topic);
    }

    @Override
    public boolean durable() {
        return true;
    }

    @Override
    public boolean sendsBeforeCommit() {
        return true;
    }

    @Override
    public String describe() {
        return "held commits (test)";
    }

    @Override
    public void close() {}
}
