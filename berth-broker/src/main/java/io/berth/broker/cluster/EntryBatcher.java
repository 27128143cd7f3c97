package io.berth.broker.cluster;

import io.berth.broker.store.StoreCommand;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Joins the store submissions of this node's shards into fewer Raft log entries, as the single node's
 * committer joins them into one RocksDB write (ADR 7): at most {@link #MAX_IN_FLIGHT} entries of this node
 * are on their way at a time (sent, not yet applied here); what is submitted meanwhile waits, and the
 * submissions waiting when one comes back go as <b>one entry</b>, their commands in submission order. Each
 * submission's future completes when its entry is committed by a majority and applied here, exactly as
 * with an entry of its own; nothing is acknowledged earlier. Claims wait in the same line and go as entries
 * of their own, so that the log keeps this node's order: a claim never overtakes commands submitted before
 * it (the claimed session is read from the replica once the claim is applied).
 *
 * <p>Fewer, larger entries cost far less: per entry, Ratis and gRPC cost a client request to the leader,
 * an append and a reply per follower, and an apply on every node, whatever the entry holds.
 *
 * <p>Threading: any thread; the line and the count of entries on their way are guarded by this object's
 * lock, under which entries are also sent (asynchronously), so that they reach the log in the order they
 * were submitted. Futures complete outside the lock, on the thread that completes the entry.
 */
final class EntryBatcher {
    /** Entries of this node on their way at a time: one being committed while the next one fills. */
    static final int MAX_IN_FLIGHT = 2;

    /** At most this many commands go into one entry (a bound on its size). */
    static final int MAX_COMMANDS = 4096;

    /** A submission waiting: commands, or a claim (sent as an entry of its own). */
    private record Waiting(
            List<StoreCommand> commands,
            @Nullable Supplier<CompletableFuture<Void>> claim,
            CompletableFuture<Void> done) {}

    private final Function<List<StoreCommand>, CompletableFuture<Void>> sendCommands;
    private final ArrayDeque<Waiting> line = new ArrayDeque<>();
    private int inFlight;

    /** @param sendCommands sends one entry of commands; completes when it is committed and applied here */
    EntryBatcher(Function<List<StoreCommand>, CompletableFuture<Void>> sendCommands) {
        this.sendCommands = sendCommands;
    }

    /** Sends {@code commands} in an entry, alone or with others; completes when it is applied here. */
    CompletableFuture<Void> submit(List<StoreCommand> commands) {
        return enqueue(new Waiting(commands, null, new CompletableFuture<>()));
    }

    /** Sends a claim ({@code send} sends it and completes when applied here) after what waits before it. */
    CompletableFuture<Void> claim(Supplier<CompletableFuture<Void>> send) {
        return enqueue(new Waiting(List.of(), send, new CompletableFuture<>()));
    }

    private CompletableFuture<Void> enqueue(Waiting w) {
        synchronized (this) {
            line.add(w);
            sendWhileRoom();
        }
        return w.done;
    }

    /** Under the lock: sends what waits as long as fewer than {@link #MAX_IN_FLIGHT} entries are on their way. */
    private void sendWhileRoom() {
        while (inFlight < MAX_IN_FLIGHT && !line.isEmpty()) {
            List<CompletableFuture<Void>> dones = new ArrayList<>();
            CompletableFuture<Void> sent;
            Waiting head = line.poll();
            Supplier<CompletableFuture<Void>> claim = head.claim;
            if (claim != null) {
                dones.add(head.done);
                sent = send(claim);
            } else {
                List<StoreCommand> commands = new ArrayList<>(head.commands);
                dones.add(head.done);
                while (!line.isEmpty()
                        && line.peek().claim == null
                        && commands.size() + line.peek().commands.size() <= MAX_COMMANDS) {
                    Waiting next = line.poll();
                    commands.addAll(next.commands);
                    dones.add(next.done);
                }
                sent = send(() -> sendCommands.apply(commands));
            }
            inFlight++;
            sent.whenComplete((v, error) -> finished(dones, error));
        }
    }

    private static CompletableFuture<Void> send(Supplier<CompletableFuture<Void>> sender) {
        try {
            return sender.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private void finished(List<CompletableFuture<Void>> dones, @Nullable Throwable error) {
        for (CompletableFuture<Void> d : dones) {
            if (error != null) {
                d.completeExceptionally(error);
            } else {
                d.complete(null);
            }
        }
        synchronized (this) {
            inFlight--;
            sendWhileRoom();
        }
    }
}
