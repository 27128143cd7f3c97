package io.berth.broker.cluster;

import io.berth.broker.session.NotConfirmedException;
import io.berth.broker.session.OwnerOutcome;
import io.berth.broker.session.Purge;
import io.berth.broker.session.Sessions;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An operator's purge, delete and disconnect of a session that another node serves (ADR 14, ADR 19). The
 * node asked submits a log entry naming the session; the node that owns the session when the entry is
 * applied carries it out on its shard, exactly as a request asked there, so every replica sees the same
 * changes through the log, and answers with an {@link LogEntry.Kind#ANSWER} entry once what carrying it
 * out wrote has committed (a purge's removals, a delete's removal of the session). The node asked reports
 * that answer, or, when none comes within {@link #ANSWER_TIMEOUT_MILLIS}, that it does not know ({@link
 * NotConfirmedException}): never a success it did not hear of.
 *
 * <p>Threading: {@link #purge} and {@link #ask} from any thread; {@link #carryOut} on the store's committer
 * (the state machine's listener), handing the work to the session's shard; answers are sent from the
 * shard's completion.
 */
final class OperatorRequests {
    private static final Logger LOG = LoggerFactory.getLogger(OperatorRequests.class);
    /** How long the node asked waits for the owner's answer, from the request's submission. */
    static final long ANSWER_TIMEOUT_MILLIS = 5_000;

    private final ClusterNode node;

    OperatorRequests(ClusterNode node) {
        this.node = node;
    }

    /** An operator's purge: the number of messages the owner removed, empty when no node has the session. */
    CompletableFuture<Optional<Long>> purge(String clientId, Purge select) {
        long seq = node.nextSeq();
        byte[] selection = PurgeRequest.encode(select);
        return ask(LogEntry.purge(node.nodeId(), node.incarnation(), seq, clientId, selection))
                .thenApply(a -> a.outcome() == OwnerOutcome.NO_SESSION ? Optional.empty() : Optional.of(a.removed()));
    }

    /**
     * Asks the owner of {@code clientId}'s session to carry out {@code kind} ({@link LogEntry.Kind#DELETE}
     * or {@link LogEntry.Kind#DISCONNECT}); completes with its answer, or fails with {@link
     * NotConfirmedException}.
     */
    CompletableFuture<OwnerOutcome> ask(LogEntry.Kind kind, String clientId) {
        long seq = node.nextSeq();
        return ask(LogEntry.operator(kind, node.nodeId(), node.incarnation(), seq, clientId))
                .thenApply(OperatorAnswer::outcome);
    }

    private CompletableFuture<OperatorAnswer> ask(LogEntry request) {
        Submissions submissions = node.submissions();
        CompletableFuture<OperatorAnswer> answer = submissions.expectAnswer(request.seq());
        node.appendTimed(request.seq(), request).whenComplete((v, error) -> {
            if (error != null) { // not committed in time, or unknown whether it was
                answer.completeExceptionally(error);
            }
        });
        return answer.orTimeout(ANSWER_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS).handle((a, error) -> {
            if (error == null) {
                return a;
            }
            submissions.forgetAnswer(request.seq());
            throw notConfirmed(request, error);
        });
    }

    private NotConfirmedException notConfirmed(LogEntry request, Throwable error) {
        String what = request.kind().name().toLowerCase(Locale.ROOT);
        String clientId = request.clientId();
        String owner = node.owner(clientId);
        String who = owner == null ? "no node" : "node " + owner + ", which serves session '" + clientId + "',";
        LOG.warn("the {} of session '{}' was not confirmed: {}", what, clientId, error.toString());
        return new NotConfirmedException(who + " did not confirm the " + what + " of session '" + clientId
                + "' within " + ANSWER_TIMEOUT_MILLIS / 1000 + " s (down, cut off from the majority or behind?)."
                + " It is carried out only if that node applies the request while it still serves the session;"
                + " check with GET /sessions/{id}. The sessions of a node that is gone pass to another node"
                + " after cluster.orphan-grace: ask again then.");
    }

    /**
     * This node owns the session that {@code request} names: carries it out on its shard, then answers the
     * node that asked.
     */
    void carryOut(Sessions sessions, LogEntry request) {
        String clientId = request.clientId();
        CompletableFuture<OperatorAnswer> done;
        switch (request.kind()) {
            case PURGE -> {
                Purge select;
                try {
                    select = PurgeRequest.decode(request.commands());
                } catch (IllegalArgumentException e) {
                    LOG.error("a purge of session '{}' this node cannot read; skipped", clientId, e);
                    return;
                }
                done = sessions.purge(clientId, select)
                        .thenApply(n -> answer(
                                request, n.isPresent() ? OwnerOutcome.DONE : OwnerOutcome.NO_SESSION, n.orElse(0L)));
            }
            case DELETE -> done = sessions.deleteByOperator(clientId).thenApply(o -> answer(request, o, 0));
            case DISCONNECT -> done = sessions.disconnectByOperator(clientId).thenApply(o -> answer(request, o, 0));
            default -> throw new IllegalArgumentException("not an operator's request: " + request.kind());
        }
        done.whenComplete((answer, error) -> {
            if (error != null) {
                LOG.warn("the {} of session '{}' failed", request.kind(), clientId, error);
                return;
            }
            // what carrying it out wrote has committed (a delete's removal, a purge's): the answer goes after it
            long seq = node.nextSeq();
            node.appendInLine(
                    seq, LogEntry.answer(node.nodeId(), node.incarnation(), seq, request.node(), answer.encode()));
        });
    }

    private static OperatorAnswer answer(LogEntry request, OwnerOutcome outcome, long removed) {
        return new OperatorAnswer(request.incarnation(), request.seq(), outcome, removed);
    }
}
