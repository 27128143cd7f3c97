package io.berth.broker.store;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * Where sessions, queues and retained messages are kept. Commands may be submitted from any thread; a
 * store applies them in submission order and completes each returned future only once the command is
 * as durable as the store promises (for a durable store: on disk after fsync). The broker acknowledges
 * nothing before that. A failed write completes the future exceptionally and nothing is acknowledged.
 *
 * <p>Reads see every command whose future has completed. Reads may come from any thread: a session's
 * shard, or the broker's reader thread, which reads a queue past what the shard holds in memory.
 */
public interface SessionStore extends AutoCloseable {

    /** Submits commands to be committed together, in order. */
    CompletableFuture<Void> submit(List<StoreCommand> commands);

    /** Submits one command. */
    default CompletableFuture<Void> submit(StoreCommand command) {
        return submit(List.of(command));
    }

    /** Everything needed to resume the sessions at start; queued messages are not read. */
    Recovery recover();

    /**
     * Up to {@code max} queued messages of a session with {@code fromSeq <= seq < toSeq}, in order.
     */
    List<QueuedMessage> readQueue(String clientId, long fromSeq, long toSeq, int max);

    /** The committed retained message of {@code topic}, or null; any thread (one point read). */
    @Nullable
    StoredMessage readRetained(String topic);

    /** True when acknowledged state survives a crash of the process. */
    boolean durable();

    /**
     * True when a QoS 1 message may be sent to an online subscriber before its queue entry commits (ADR
     * 18): the commit takes an fsync here, and a message lost by a crash before it is only sent again
     * by its publisher, who was not acknowledged. False where a commit means more than this store's own
     * disk (the cluster's majority) or costs nothing (memory).
     */
    default boolean sendsBeforeCommit() {
        return false;
    }

    /** A short description for the startup line, e.g. "memory (not durable)". */
    String describe();

    @Override
    void close();

    /** What {@link #recover()} returns. */
    record Recovery(List<RecoveredSession> sessions, List<StoredMessage> retained, long nextMessageId) {
        public Recovery {
            sessions = List.copyOf(sessions);
            retained = List.copyOf(retained);
        }

        public static Recovery empty() {
            return new Recovery(List.of(), List.of(), 1);
        }
    }
}
