package io.berth.broker.cluster;

import io.berth.broker.session.NotConfirmedException;
import io.berth.broker.session.OwnerOutcome;
import io.berth.broker.session.Purge;
import io.berth.broker.session.Sessions;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An operator's purge, delete and disconnect of a session that another node serves (ADR 14, ADR 19). The
 * node asked submits a log entry naming the session; the node that owns the session when the entry is
 * applied carries it out on its shard, exactly as a request asked there, so every replica sees the same
 * changes through the log. A delete or disconnect is answered: the owner submits an {@link
 * LogEntry.Kind#ANSWER} after what carrying it out submitted (a delete's removal of the session goes
 * first), and the node asked reports that answer, or, when none comes within {@link
 * #ANSWER_TIMEOUT_MILLIS}, that it does not know ({@link NotConfirmedException}): never a success it did
 * not hear of.
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

    /** An operator's purge of {@code clientId}'s queue, for its owner to carry out; completes once applied here. */
    CompletableFuture<Void> purge(String clientId, Purge select) {
        long seq = node.nextSeq();
        return node.appendTimed(
                seq, LogEntry.purge(node.nodeId(), node.incarnation(), seq, clientId, PurgeRequest.encode(select)));
    }

    /**
     * Asks the owner of {@code clientId}'s session to carry out {@code kind} ({@link LogEntry.Kind#DELETE}
     * or {@link LogEntry.Kind#DISCONNECT}); completes with its answer, or fails with {@link
     * NotConfirmedException}.
     */
    CompletableFuture<OwnerOutcome> ask(LogEntry.Kind kind, String clientId) {
        Submissions submissions = node.submissions();
        long seq = node.nextSeq();
        CompletableFuture<OwnerOutcome> answer = submissions.expectAnswer(seq);
        node.appendTimed(seq, LogEntry.operator(kind, node.nodeId(), node.incarnation(), seq, clientId))
                .whenComplete((v, error) -> {
                    if (error != null) { // not committed in time, or unknown whether it was
                        answer.completeExceptionally(error);
                    }
                });
        return answer.orTimeout(ANSWER_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS).handle((outcome, error) -> {
            if (error == null) {
                return outcome;
            }
            submissions.answered(node.incarnation(), seq, null);
            throw notConfirmed(kind, clientId, error);
        });
    }

    private NotConfirmedException notConfirmed(LogEntry.Kind kind, String clientId, Throwable error) {
        String what = kind.name().toLowerCase(Locale.ROOT);
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
        CompletableFuture<OwnerOutcome> done = request.kind() == LogEntry.Kind.DELETE
                ? sessions.deleteByOperator(clientId)
                : sessions.disconnectByOperator(clientId);
        done.whenComplete((outcome, error) -> {
            if (error != null) {
                LOG.warn("the {} of session '{}' failed", request.kind(), clientId, error);
                return;
            }
            byte[] answer = new OperatorAnswer(request.incarnation(), request.seq(), outcome).encode();
            // in line after what carrying it out submitted: a delete's removal commits before its answer
            long seq = node.nextSeq();
            node.appendInLine(seq, LogEntry.answer(node.nodeId(), node.incarnation(), seq, request.node(), answer));
        });
    }
}
