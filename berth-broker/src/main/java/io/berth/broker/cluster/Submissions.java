package io.berth.broker.cluster;

import io.berth.broker.session.OwnerOutcome;
import io.berth.broker.store.StoreCommand;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * What follows once this node's replica holds an applied entry: the future of this node's submission
 * completes (or fails, when the entry was rejected whole), and the {@link SessionStateMachine.Listener}
 * hears what entries of other nodes changed here (claims, retained messages) and which sessions this
 * node lost. Split from {@link SessionStateMachine}, which decides what an entry writes.
 *
 * <p>Threading: {@link #expect}, {@link #abandon} and {@link #adopted} from any thread (concurrent maps);
 * {@link #written} and {@link #adoption} on the thread that completes the store's write of an entry (the
 * store's committer), in log order.
 */
final class Submissions {
    private final String self;
    private final long incarnation;
    private final SessionStateMachine.Listener listener;
    private final Map<Long, CompletableFuture<Void>> waiting = new ConcurrentHashMap<>();
    /** The sessions each of this incarnation's applied adoptions gave this node, until the submitter takes them. */
    private final Map<Long, List<String>> adoptions = new ConcurrentHashMap<>();
    /** This incarnation's operator requests (by the number of their entry) waiting for their owner's answer. */
    private final Map<Long, CompletableFuture<OperatorAnswer>> answers = new ConcurrentHashMap<>();

    Submissions(String self, long incarnation, SessionStateMachine.Listener listener) {
        this.self = self;
        this.incarnation = incarnation;
        this.listener = listener;
    }

    /** Registers the submission {@code seq} of this incarnation: the future completes when it is applied here. */
    CompletableFuture<Void> expect(long seq) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        waiting.put(seq, f);
        return f;
    }

    /** The submission {@code seq} failed before it reached the log (or it is unknown whether it did). */
    void abandon(long seq, Throwable error) {
        adoptions.remove(seq);
        CompletableFuture<Void> f = waiting.remove(seq);
        if (f != null) {
            f.completeExceptionally(error);
        }
    }

    /** Fails every submission still waiting, each with the error {@code why} gives for its number. */
    void abandonAll(Function<Long, Throwable> why) {
        for (Long seq : List.copyOf(waiting.keySet())) {
            abandon(seq, why.apply(seq));
        }
    }

    /** Keeps what this incarnation's adoption {@code seq} gave this node, for {@link #adopted}. */
    void adoption(long seq, List<String> adopted) {
        adoptions.put(seq, adopted);
    }

    /**
     * The sessions that this incarnation's adoption {@code seq} gave this node, once its future completed
     * (empty when it adopted none, or was not applied).
     */
    List<String> adopted(long seq) {
        List<String> ids = adoptions.remove(seq);
        return ids == null ? List.of() : ids;
    }

    /**
     * Registers the operator's request {@code seq} of this incarnation: the future completes with the
     * answer of the session's owner, or with {@link OwnerOutcome#NO_SESSION} when no node owns it.
     */
    CompletableFuture<OperatorAnswer> expectAnswer(long seq) {
        CompletableFuture<OperatorAnswer> f = new CompletableFuture<>();
        answers.put(seq, f);
        return f;
    }

    /** The answer to a request of this node; one to its former run is ignored. */
    void answered(OperatorAnswer answer) {
        if (answer.incarnation() == incarnation) {
            CompletableFuture<OperatorAnswer> f = answers.remove(answer.seq());
            if (f != null) {
                f.complete(answer);
            }
        }
    }

    /** The request {@code seq} is given up: an answer that comes later is ignored. */
    void forgetAnswer(long seq) {
        answers.remove(seq);
    }

    /** Whether this incarnation of this node submitted {@code entry}. */
    boolean mine(LogEntry entry) {
        return entry.incarnation() == incarnation && entry.node().equals(self);
    }

    /** The store holds {@code entry} (as {@code fenced} kept it): its submitter and the listener hear. */
    void written(LogEntry entry, SessionOwners.Fenced fenced) {
        if (mine(entry)) {
            // sessions this node still held but lost: let them go here now
            fenced.lost().forEach(listener::claimed);
            CompletableFuture<Void> f = waiting.remove(entry.seq());
            if (f != null) {
                Throwable rejected = fenced.rejected();
                if (rejected != null) {
                    f.completeExceptionally(rejected);
                } else {
                    f.complete(null);
                }
            }
        } else if (entry.kind() == LogEntry.Kind.CLAIM) {
            if (!entry.node().equals(self)) { // a claim of this node's former run changes nothing here
                listener.claimed(entry.clientId());
            }
        } else {
            for (StoreCommand c : fenced.kept()) {
                if (c instanceof StoreCommand.PutRetained || c instanceof StoreCommand.DeleteRetained) {
                    listener.retained(c);
                }
            }
        }
    }
}
