package io.berth.broker.cluster;

import io.berth.broker.store.SessionRecord;
import io.berth.broker.store.StoreCommand;
import io.berth.broker.store.StoredMessage;
import io.berth.broker.store.rocksdb.CommandCodec;
import io.berth.broker.store.rocksdb.RocksSessionStore.MetaWrite;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.SnapshotInfo;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.util.LifeCycle;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The session group's state machine: every node applies every committed entry, in log order, to its own
 * RocksDB store (the layout of a single node; the Raft log is the write-ahead log). Each entry's writes
 * and the log position it reached ({@code applied}) go into one atomic batch, so after a crash the node
 * resumes exactly after the last entry its store holds and never applies one twice.
 *
 * <p>Ownership and fencing: the state machine records which node owns each session ({@code owner/<id>}
 * rows, in the same batches). A {@link LogEntry.Kind#CLAIM} makes its node the owner; the first
 * {@code PutSession} of a session nobody owns makes its submitter the owner. An entry that changes a
 * session owned by another node loses those commands, on every node alike (the log order decides): a
 * node that lost a session can never write to it again (see {@link SessionOwners#fence}). A
 * {@link LogEntry.Kind#ADOPT} gives its node every session that another node owns when it is applied
 * (ADR 14).
 *
 * <p>Threading: {@link #applyTransaction} runs on Ratis' state machine updater thread, one entry at a time
 * in log order, and owns the ownership map (a concurrent map: {@link #owner} is read from other threads).
 * Store completions, the submitter's futures and the {@link Listener} run on the store's
 * committer thread, in log order; they must not block.
 */
final class SessionStateMachine extends BaseStateMachine {
    private static final Logger LOG = LoggerFactory.getLogger(SessionStateMachine.class);
    private static final String APPLIED = "applied";
    private static final SessionOwners.Fenced UNFENCED = new SessionOwners.Fenced(List.of(), Set.of(), null);

    private final Replica store;
    private final String self;
    private final SessionOwners owners = new SessionOwners();
    private final Submissions submissions;

    private final Listener listener;
    /** Apply thread only. */
    private final Inboxes inboxes = new Inboxes();

    private final SubscriptionIndex subscriptions = new SubscriptionIndex();
    /** Apply thread only (but for the trees it fills). */
    private final VolatileIndex volatiles = new VolatileIndex(subscriptions);

    /** Apply thread only. */
    private final OwnershipEntries ownership;

    private final ReplicaSnapshots snapshots = new ReplicaSnapshots();
    /** Other nodes' asks whether this node applied the log up to an index ({@link #queryStale}). */
    private final AppliedAsks asks = new AppliedAsks(this::appliedIndex, AppliedAsks.HOLD_MILLIS);
    /** The last entry the store held at start: entries up to it are not applied again. */
    private long recoveredIndex = -1;

    /** Told of what entries of other nodes changed, once this node's replica holds it, in log order. */
    interface Listener {
        /** Another node claimed the session of {@code clientId}. */
        void claimed(String clientId);

        /** Another node set ({@code PutRetained}) or cleared ({@code DeleteRetained}) a retained message. */
        void retained(StoreCommand command);

        /** Messages were forwarded to the inbox of {@code clientId}, whose session this node owns (ADR 13). */
        void forwarded(String clientId);

        /** An operator's purge, delete or disconnect of a session this node owns ({@link OperatorRequests}). */
        void operator(LogEntry request);

        /** A message for this node's sessions that end with their connection (ADR 16). */
        void relayed(StoredMessage message);

        /** A message for the membership of such a session of this node in a shared subscription (ADR 16). */
        void relayedShared(StoreCommand.Forward forward);

        /**
         * Sessions that ended with their connection are gone with it (their node is gone, or another node
         * claimed them): this node publishes their wills; with {@code unlessServed}, not for a session
         * this node serves now (its routing is written again instead).
         */
        void volatileGone(List<SessionRecord> records, boolean unlessServed);
    }

    SessionStateMachine(Replica store, String self, long incarnation, Listener listener) {
        this.store = store;
        this.self = self;
        this.listener = listener;
        this.submissions = new Submissions(self, incarnation, listener);
        this.ownership = new OwnershipEntries(self, owners, volatiles, submissions, listener);
    }

    @Override
    public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage storage) throws IOException {
        super.initialize(server, groupId, storage);
        snapshots.init(storage);
        replaceIfBehind(); // a snapshot installed from the leader before a crash
        readState();
        running();
    }

    /** Ratis pauses the state machine before it installs a snapshot, and checks that it did. */
    @Override
    public void pause() {
        if (getLifeCycleState() == LifeCycle.State.RUNNING) {
            getLifeCycle().transition(LifeCycle.State.PAUSING);
            getLifeCycle().transition(LifeCycle.State.PAUSED);
        }
    }

    private void running() {
        LifeCycle.State state = getLifeCycleState();
        if (state == LifeCycle.State.NEW || state == LifeCycle.State.PAUSED) {
            getLifeCycle().transition(LifeCycle.State.STARTING);
            getLifeCycle().transition(LifeCycle.State.RUNNING);
        }
    }

    /**
     * Reads where the replica is: the entries it holds are not applied again (Ratis replays its log
     * from the latest snapshot, or from the start), and who owns which session.
     */
    private void readState() {
        byte[] applied = store.readMeta(APPLIED).get(APPLIED);
        recoveredIndex = applied == null ? -1 : ByteBuffer.wrap(applied, 8, 8).getLong();
        owners.load(store);
        inboxes.load(store);
        subscriptions.load(store.recover().sessions());
        volatiles.load(store);
    }

    /** The subscriptions of every durable session of the cluster (ADR 13). */
    SubscriptionIndex subscriptions() {
        return subscriptions;
    }

    /** The sessions that end with their connection of every node (ADR 16). */
    VolatileIndex volatiles() {
        return volatiles;
    }

    @Override
    public StateMachineStorage getStateMachineStorage() {
        return snapshots;
    }

    /**
     * A snapshot is a checkpoint of the replica once it holds every entry up to the last one applied,
     * with that position recorded in it; Ratis then purges the log behind it.
     */
    @Override
    public long takeSnapshot() throws IOException {
        TermIndex at = getLastAppliedTermIndex();
        if (at == null || at.getIndex() < 0) {
            return -1;
        }
        store.submit(List.of(), List.of(appliedMark(at))).join();
        snapshots.take(at, store::checkpoint);
        LOG.info("snapshot of the replica at log index {} (term {})", at.getIndex(), at.getTerm());
        return at.getIndex();
    }

    /** Puts the latest snapshot in place of the replica when it is ahead of it; true when it did. */
    private boolean replaceIfBehind() throws IOException {
        SnapshotInfo latest = snapshots.getLatestSnapshot();
        java.nio.file.Path folder = snapshots.latestFolder();
        byte[] applied = store.readMeta(APPLIED).get(APPLIED);
        long replica = applied == null ? -1 : ByteBuffer.wrap(applied, 8, 8).getLong();
        if (latest == null || folder == null || latest.getIndex() <= replica) {
            return false;
        }
        LOG.info("replacing the replica (log index {}) with the snapshot at log index {}", replica, latest.getIndex());
        store.replaceWith(folder);
        return true;
    }

    /**
     * After Ratis installed a snapshot received from the leader (this node needed entries the leader
     * had purged): the snapshot replaces the replica, and what this node keeps in memory follows (see
     * {@link SnapshotFollowUp}).
     */
    @Override
    public void reinitialize() throws IOException {
        snapshots.refresh();
        SnapshotFollowUp followUp = SnapshotFollowUp.before(store, owners.asMap(), self);
        if (!replaceIfBehind()) {
            running();
            return;
        }
        readState();
        SnapshotInfo latest = snapshots.getLatestSnapshot();
        if (latest != null) {
            updateLastAppliedTermIndex(latest.getTerm(), latest.getIndex());
        }
        // whether this node's submissions still waiting are in the snapshot cannot be told: none is
        // acknowledged (an acknowledgement must not be guessed)
        submissions.abandonAll(seq -> new OutcomeUnknownException("a snapshot replaced the replica of node " + self
                + " before this submission was applied here: its outcome is not known"));
        followUp.after(store, owners.asMap(), listener);
        running();
    }

    /** The node that owns {@code clientId}'s session, or null; any thread. */
    @Nullable
    String owner(String clientId) {
        return owners.get(clientId);
    }

    /** Every session's owner by client id, as applied here; a read-only view. */
    Map<String, String> owners() {
        return owners.asMap();
    }

    /** The highest message id that {@code node} stored, 0 when none. */
    long maxMessageId(String node) {
        return owners.maxMessageId(store, node);
    }

    /** This incarnation's submissions waiting for their entries to be applied here. */
    Submissions submissions() {
        return submissions;
    }

    @Override
    public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
        LogEntryProto proto = trx.getLogEntry();
        TermIndex at = TermIndex.valueOf(proto);
        if (at.getIndex() <= recoveredIndex) {
            updateLastAppliedTermIndex(at.getTerm(), at.getIndex());
            return CompletableFuture.completedFuture(Message.EMPTY);
        }
        LogEntry entry;
        try {
            entry = LogEntry.decode(new DataInputStream(
                    proto.getStateMachineLogEntry().getLogData().newInput()));
        } catch (IllegalArgumentException e) {
            LOG.error("log entry {} is not a session entry; skipped", at, e);
            return written(
                    at,
                    null,
                    store.submit(List.of(), List.of(appliedMark(at))),
                    new SessionOwners.Fenced(List.of(), Set.of(), e));
        }
        List<MetaWrite> meta = new ArrayList<>(4);
        meta.add(appliedMark(at));
        if (OwnershipEntries.handles(entry)) {
            Runnable after = ownership.apply(at, entry, meta);
            CompletableFuture<Message> done = written(at, entry, store.submit(List.of(), meta), UNFENCED);
            return after == null
                    ? done
                    : done.thenApply(m -> {
                        after.run();
                        return m;
                    });
        }
        SessionOwners.Fenced fenced;
        try {
            fenced = owners.fence(entry.node(), CommandCodec.decode(entry.commands()));
        } catch (IllegalArgumentException e) {
            LOG.error("log entry {} holds commands this node cannot read; skipped", at, e);
            fenced = new SessionOwners.Fenced(List.of(), Set.of(), e);
        }
        if (fenced.rejected() == null) {
            owners.own(entry.node(), fenced.kept(), meta);
        }
        VolatileIndex.Applied relays = volatiles.apply(entry.node(), fenced.kept(), self, meta);
        Inboxes.Applied applied = inboxes.apply(at.getIndex(), relays.kept(), owners::get, subscriptions, meta, self);
        subscriptions.apply(applied.store());
        if (!applied.lost().isEmpty()) {
            Set<String> lost = new HashSet<>(fenced.lost());
            lost.addAll(applied.lost());
            fenced = new SessionOwners.Fenced(fenced.kept(), lost, fenced.rejected());
        }
        List<String> nudged = new ArrayList<>(applied.forwarded().size());
        for (String client : applied.forwarded()) {
            if (self.equals(owners.get(client))) {
                nudged.add(client);
            }
        }
        CompletableFuture<Message> done = written(at, entry, store.submit(applied.store(), meta), fenced);
        if (!relays.relayed().isEmpty() || !applied.volatileShared().isEmpty()) {
            done = done.thenApply(m -> {
                relays.relayed().forEach(listener::relayed);
                applied.volatileShared().forEach(listener::relayedShared);
                return m;
            });
        }
        return nudged.isEmpty()
                ? done
                : done.thenApply(m -> {
                    nudged.forEach(listener::forwarded);
                    return m;
                });
    }

    /**
     * Answers another node's ask whether this node applied the log up to an index ({@link AppliedAsks}):
     * another node asks so before its SUBACK ({@link AppliedBarrier}), and a publish here is matched against
     * what the apply thread applied. Ratis' own implementation waits for the next update of the applied
     * index that does not change it, which does not come while entries are applied.
     */
    @Override
    public CompletableFuture<Message> queryStale(Message request, long minIndex) {
        return asks.ask(request, minIndex);
    }

    /** Nothing is read through Raft: an empty answer (see {@link #queryStale}). */
    @Override
    public CompletableFuture<Message> query(Message request) {
        return CompletableFuture.completedFuture(Message.EMPTY);
    }

    /** Moves the applied index and answers the asks of {@link #queryStale} that it reaches. */
    @Override
    protected boolean updateLastAppliedTermIndex(long term, long index) {
        boolean moved = super.updateLastAppliedTermIndex(term, index);
        asks.moved(index);
        return moved;
    }

    private long appliedIndex() {
        TermIndex at = getLastAppliedTermIndex();
        return at == null ? -1 : at.getIndex();
    }

    private static MetaWrite appliedMark(TermIndex at) {
        return new MetaWrite(
                APPLIED,
                ByteBuffer.allocate(16)
                        .putLong(at.getTerm())
                        .putLong(at.getIndex())
                        .array());
    }

    /**
     * The applied index moves now, in log order (Ratis moves it itself for entries of its own between
     * ours); the store commits in submission order, so its {@code applied} row never runs ahead of what
     * it holds. Once the store wrote the entry, the submitter and the listeners hear.
     */
    private CompletableFuture<Message> written(
            TermIndex at, @Nullable LogEntry entry, CompletableFuture<Void> write, SessionOwners.Fenced fenced) {
        updateLastAppliedTermIndex(at.getTerm(), at.getIndex());
        return write.handle((v, error) -> {
            if (error != null) {
                // the store could not take a committed entry: this node's state is behind the log
                LOG.error("store write of log entry {} failed; this node stops applying the log", at, error);
                if (entry != null && submissions.mine(entry)) {
                    submissions.abandon(entry.seq(), error);
                }
                throw new IllegalStateException("store write of log entry " + at + " failed", error);
            }
            if (entry != null) {
                submissions.written(entry, fenced);
            }
            return Message.EMPTY;
        });
    }
}
