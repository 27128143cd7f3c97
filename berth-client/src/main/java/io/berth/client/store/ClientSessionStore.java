package io.berth.client.store;

import io.berth.client.internal.FileClientSessionStore;
import io.berth.client.internal.MemoryClientSessionStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Where a client keeps the state of its session that the broker cannot keep for it: the QoS 1 and 2
 * messages handed over and not yet acknowledged (with their packet identifier once assigned, and whether
 * PUBREL is due), and the packet identifiers of inbound QoS 2 messages whose PUBREL has not come. The
 * client records every change as a {@link SessionChange} and waits for {@link #append}'s future before it
 * sends anything that depends on the change (a QoS 2 PUBLISH with a new packet identifier, a PUBREL, a
 * PUBREC, a PUBCOMP), and before it reports a message stored. A QoS 1 PUBLISH goes out while its changes
 * are written, and its PUBACK is reported when it comes: after a crash it may be sent again under a new
 * packet identifier, which QoS 1 allows.
 *
 * <p>Threading: {@link #load} and {@link #append} are called by one client's event loop only, load first;
 * implementations complete the futures on a thread of their own choosing.
 */
public interface ClientSessionStore extends AutoCloseable {

    /** A store in memory: survives reconnects, not a restart of the process. */
    static ClientSessionStore inMemory() {
        return new MemoryClientSessionStore();
    }

    /**
     * A durable store in one append-only file with group commit (every append is forced to disk before its
     * future completes; several forces may run at once, each covering everything written before it
     * began); the file is created if absent and locked against a second client.
     *
     * @throws IOException when the file cannot be opened, is locked, or is not a session log
     */
    static ClientSessionStore file(Path file) throws IOException {
        return FileClientSessionStore.open(file, FileDurability.FSYNC);
    }

    /**
     * The file store of {@link #file(Path)} with the durability chosen: {@link FileDurability#OS} completes
     * appends once they are written to the operating system, without forcing them to disk, so they survive
     * a crash of the process (SIGKILL included) but not a power loss or a crash of the machine.
     *
     * @throws IOException when the file cannot be opened, is locked, or is not a session log
     */
    static ClientSessionStore file(Path file, FileDurability durability) throws IOException {
        return FileClientSessionStore.open(file, durability);
    }

    /** Reads what the store holds. Called once, before the first append. */
    StoredSession load() throws IOException;

    /**
     * Records changes in order. The future completes when they are as durable as this store promises, and
     * fails if they could not be written; changes appended later are never durable before earlier ones.
     */
    CompletableFuture<Void> append(List<SessionChange> changes);

    /** Records one change; see {@link #append(List)}. */
    default CompletableFuture<Void> append(SessionChange change) {
        return append(List.of(change));
    }

    /** Finishes pending appends and releases the store. */
    @Override
    void close() throws IOException;
}
