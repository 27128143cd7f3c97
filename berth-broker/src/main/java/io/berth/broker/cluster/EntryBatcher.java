package io.berth.broker.cluster;

import io.berth.broker.store.StoreCommand;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
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
 * <p>Entries are encoded and handed to Ratis' client on the {@code sender} (one thread, ADR 15), not on the
 * thread that submits (a shard's event loop) nor on the one that completes an entry (the replica's
 * committer, which applies every entry of the log): the line is read when the sender gets to it, so what
 * arrived meanwhile joins the entry too.
 *
 * <p>Threading: {@link #submit} and {@link #claim} from any thread; the line and the count of entries on
 * their way are guarded by this object's lock. Entries are sent on the sender only, in the order they
 * leave the line. Futures complete outside the lock, on the thread that completes the entry.
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

    /** An entry taken from the line, to send. */
    private record Outgoing(Supplier<CompletableFuture<Void>> send, List<CompletableFuture<Void>> dones) {}

    private final Function<List<StoreCommand>, CompletableFuture<Void>> sendCommands;
    private final Executor sender;
    private final ArrayDeque<Waiting> line = new ArrayDeque<>();
    private int inFlight;
    /** A send task is on the sender's queue and has not read the line yet. */
    private boolean scheduled;

    /**
     * @param sendCommands sends one entry of commands; completes when it is committed and applied here
     * @param sender runs the sends, one at a time in order (a single thread)
     */
    EntryBatcher(Function<List<StoreCommand>, CompletableFuture<Void>> sendCommands, Executor sender) {
        this.sendCommands = sendCommands;
        this.sender = sender;
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
        boolean schedule;
        synchronized (this) {
            line.add(w);
            schedule = scheduleIfRoom();
        }
        if (schedule) {
            sender.execute(this::sendWhileRoom);
        }
        return w.done;
    }

    /** Under the lock: whether a send task is to be scheduled now (room on the way, something waits, none queued). */
    private boolean scheduleIfRoom() {
        if (scheduled || inFlight >= MAX_IN_FLIGHT || line.isEmpty()) {
            return false;
        }
        scheduled = true;
        return true;
    }

    /** On the sender: takes entries from the line as long as fewer than {@link #MAX_IN_FLIGHT} are on their way, and sends them. */
    private void sendWhileRoom() {
        List<Outgoing> out = new ArrayList<>(MAX_IN_FLIGHT);
        synchronized (this) {
            scheduled = false;
            while (inFlight < MAX_IN_FLIGHT && !line.isEmpty()) {
                out.add(take());
                inFlight++;
            }
        }
        for (Outgoing o : out) {
            send(o.send).whenComplete((v, error) -> finished(o.dones, error));
        }
    }

    /** Under the lock: the next entry of the line (a claim, or the commands that wait up to the next claim). */
    private Outgoing take() {
        List<CompletableFuture<Void>> dones = new ArrayList<>();
        Waiting head = line.poll();
        Supplier<CompletableFuture<Void>> claim = head.claim;
        dones.add(head.done);
        if (claim != null) {
            return new Outgoing(claim, dones);
        }
        List<StoreCommand> commands = new ArrayList<>(head.commands);
        while (!line.isEmpty()
                && line.peek().claim == null
                && commands.size() + line.peek().commands.size() <= MAX_COMMANDS) {
            Waiting next = line.poll();
            commands.addAll(next.commands);
            dones.add(next.done);
        }
        return new Outgoing(() -> sendCommands.apply(commands), dones);
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
        boolean schedule;
        synchronized (this) {
            inFlight--;
            schedule = scheduleIfRoom();
        }
        if (schedule) {
            sender.execute(this::sendWhileRoom);
        }
    }
}
