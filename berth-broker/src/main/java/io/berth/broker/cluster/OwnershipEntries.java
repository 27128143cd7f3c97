package io.berth.broker.cluster;

import io.berth.broker.session.OwnerOutcome;
import io.berth.broker.store.SessionRecord;
import io.berth.broker.store.rocksdb.RocksSessionStore.MetaWrite;
import java.util.List;
import org.apache.ratis.server.protocol.TermIndex;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The log entries that move sessions between nodes or reach their owner rather than change a session's
 * data: a {@link LogEntry.Kind#CLAIM} (a client connected to another node), an
 * {@link LogEntry.Kind#ADOPT} (the sessions of a node not heard from pass to another, ADR 14) and a
 * {@link LogEntry.Kind#PURGE}, {@link LogEntry.Kind#DELETE} and {@link LogEntry.Kind#DISCONNECT} (an
 * operator's requests, carried out by the session's owner) with its {@link LogEntry.Kind#ANSWER}. Each changes
 * the ownership map and the routing of sessions that end with their connection, adds its rows to the
 * entry's meta writes, and says what to tell the {@link SessionStateMachine.Listener} once the replica
 * holds the entry.
 *
 * <p>Threading: the state machine's apply thread only; the actions it returns run on the store's
 * committer thread after the entry's write, in log order.
 */
final class OwnershipEntries {
    private static final Logger LOG = LoggerFactory.getLogger(OwnershipEntries.class);

    private final String self;
    private final SessionOwners owners;
    private final VolatileIndex volatiles;
    private final Submissions submissions;
    private final SessionStateMachine.Listener listener;

    OwnershipEntries(
            String self,
            SessionOwners owners,
            VolatileIndex volatiles,
            Submissions submissions,
            SessionStateMachine.Listener listener) {
        this.self = self;
        this.owners = owners;
        this.volatiles = volatiles;
        this.submissions = submissions;
        this.listener = listener;
    }

    /** Whether {@code entry} is one of these (the others carry store commands). */
    static boolean handles(LogEntry entry) {
        return entry.kind() != LogEntry.Kind.COMMANDS;
    }

    /**
     * Applies {@code entry} (one that {@link #handles}) at {@code at}, its rows added to {@code meta};
     * returns what the listener hears once the replica holds it, or null for nothing.
     */
    @Nullable
    Runnable apply(TermIndex at, LogEntry entry, List<MetaWrite> meta) {
        return switch (entry.kind()) {
            case CLAIM -> claim(entry, meta);
            case ADOPT -> adopt(at, entry, meta);
            case PURGE, DELETE, DISCONNECT -> operator(entry);
            case ANSWER -> answer(at, entry);
            default -> throw new IllegalArgumentException("not an ownership entry: " + entry.kind());
        };
    }

    /** The entry's node owns the session of its client id from now on. */
    private @Nullable Runnable claim(LogEntry entry, List<MetaWrite> meta) {
        owners.claim(entry.clientId(), entry.node(), meta);
        SessionRecord gone = volatiles.claimed(entry.clientId(), entry.node(), meta);
        return gone == null || !submissions.mine(entry) ? null : () -> listener.volatileGone(List.of(gone), false);
    }

    /**
     * Every session that {@code entry.from()} owns now passes to the entry's node (ADR 14); the node that
     * owned them, if it still runs, lets them go here as after a claim.
     */
    private @Nullable Runnable adopt(TermIndex at, LogEntry entry, List<MetaWrite> meta) {
        List<String> adopted = owners.adopt(entry.from(), entry.node(), meta);
        List<SessionRecord> gone = volatiles.dropNode(entry.from(), meta);
        if (!adopted.isEmpty()) {
            LOG.info(
                    "node {} adopts the {} sessions of node {} (log index {})",
                    entry.node(),
                    adopted.size(),
                    entry.from(),
                    at.getIndex());
        }
        boolean mine = submissions.mine(entry);
        if (mine) {
            submissions.adoption(entry.seq(), adopted);
        }
        // their connections went with their node; a restarted node may serve a new one of the same id
        boolean tellGone = mine && !gone.isEmpty();
        boolean tellClaimed = !entry.node().equals(self) && !adopted.isEmpty();
        if (!tellGone && !tellClaimed) {
            return null;
        }
        return () -> {
            if (tellGone) {
                listener.volatileGone(gone, entry.from().equals(self));
            }
            if (tellClaimed) {
                adopted.forEach(listener::claimed);
            }
        };
    }

    /**
     * An operator's purge, delete or disconnect changes nothing here: the node that owns the session when
     * it is applied carries it out on its shard, whose changes go through the log like any other (so every
     * replica sees the same), and answers ({@link OperatorRequests}); when no node owns the session, the
     * node that asked hears that there is none.
     */
    private @Nullable Runnable operator(LogEntry entry) {
        String owner = owners.get(entry.clientId());
        if (owner == null) {
            return submissions.mine(entry)
                    ? () -> submissions.answered(
                            new OperatorAnswer(entry.incarnation(), entry.seq(), OwnerOutcome.NO_SESSION, 0))
                    : null;
        }
        return self.equals(owner) ? () -> listener.operator(entry) : null;
    }

    /** The owner's answer to an operator's request, for the node that asked. */
    private @Nullable Runnable answer(TermIndex at, LogEntry entry) {
        if (!self.equals(entry.clientId())) {
            return null;
        }
        OperatorAnswer answer;
        try {
            answer = OperatorAnswer.decode(entry.commands());
        } catch (IllegalArgumentException e) {
            LOG.error("log entry {} holds an answer this node cannot read; skipped", at, e);
            return null;
        }
        return () -> submissions.answered(answer);
    }
}
