package io.berth.broker.cluster;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.exceptions.StaleReadException;
import org.apache.ratis.protocol.exceptions.StateMachineException;
import org.apache.ratis.rpc.CallId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits until the other members have applied the log up to an index (ADR 16 and its addenda): a SUBACK or
 * UNSUBACK on a cluster node goes once every member routes publishes by the subscription. It asks each
 * other member, with a Raft stale read sent to that member, how far it applied the log; the member answers
 * once it applied the index, or after {@link AppliedAsks#HOLD_MILLIS} with where it is
 * ({@link AppliedAsks}). The wait for a member goes on as long as the member answers and its applied
 * index moves on. A member is given up when it does not answer within {@link #ANSWER_MILLIS} (down, cut
 * off), when its applied index has not moved for {@link #STALL_MILLIS}, or after {@link #MAX_WAIT_MILLIS}
 * in all; from then on subscriptions do not wait for that member until a wait for it completes again (one
 * at a time finds out), so a subscription never blocks on a member that is down.
 *
 * <p>The asks go on Ratis' unordered stream, by a client of their own that sends nothing to the leader:
 * Ratis 3.2's ordered stale reads share one server-side window between requests to the leader and to a
 * named server, so that an ask could go unanswered until the client's request timeout (RATIS-2497).
 *
 * <p>Threading: {@link #await} on any thread; the client's threads go on with the asks. Each member's
 * state is a volatile flag and an atomic one.
 */
final class AppliedBarrier implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AppliedBarrier.class);
    /** How long a member may take to answer one ask before it is taken as out of reach. */
    static final long ANSWER_MILLIS = 3_000;
    /** How long a member's applied index may stand still, below the index waited for, before it is given up. */
    static final long STALL_MILLIS = 3_000;
    /** How long one wait for a member goes on at most, even while the member moves on. */
    static final long MAX_WAIT_MILLIS = 15_000;
    /** How long after a refused ask the member is asked again. */
    private static final long RETRY_MILLIS = 50;
    /** The answer of a member that refuses the ask: it knows of no committed entry yet. */
    private static final long NOT_SERVING = -1;

    private final RaftClient client;
    private final List<Member> members = new ArrayList<>();
    private final LongSupplier applied;

    /** What this node knows of one other member. */
    private static final class Member {
        final RaftPeerId id;
        /** True after a wait for the member was given up, until one completes again. */
        volatile boolean outOfReach;

        final AtomicBoolean probing = new AtomicBoolean();

        Member(RaftPeerId id) {
            this.id = id;
        }
    }

    /**
     * @param client the client that asks (see {@link RaftSetup#asker}), closed with this barrier
     * @param others the other members
     * @param applied the index this node applied
     */
    AppliedBarrier(RaftClient client, List<RaftPeerId> others, LongSupplier applied) {
        this.client = client;
        others.forEach(id -> members.add(new Member(id)));
        this.applied = applied;
    }

    /** Completes once every member in reach has applied the log as far as this node applied it now. */
    CompletableFuture<Void> await() {
        long index = applied.getAsLong();
        if (index < 0) {
            return CompletableFuture.completedFuture(null);
        }
        List<CompletableFuture<Void>> waits = new ArrayList<>(members.size());
        for (Member m : members) {
            if (!m.outOfReach) {
                waits.add(wait(m, index));
            } else if (m.probing.compareAndSet(false, true)) {
                wait(m, index).whenComplete((v, e) -> m.probing.set(false));
            }
        }
        return CompletableFuture.allOf(waits.toArray(CompletableFuture<?>[]::new));
    }

    /** The members that subscriptions do not wait for now. */
    Set<String> outOfReach() {
        Set<String> ids = new TreeSet<>();
        members.stream().filter(m -> m.outOfReach).forEach(m -> ids.add(m.id.toString()));
        return ids;
    }

    /** Completes, never exceptionally, once {@code m} applied {@code index} or it is given up. */
    private CompletableFuture<Void> wait(Member m, long index) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        long now = System.nanoTime();
        ask(m, index, new Progress(-1, now, now), done);
        return done;
    }

    /** The last index a member said it applied, since when it stands there, and when the wait began. */
    private record Progress(long seen, long sinceNanos, long startNanos) {}

    private void ask(Member m, long index, Progress progress, CompletableFuture<Void> done) {
        CompletableFuture<Long> answer;
        try {
            answer = send(m.id, index);
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        answer.whenComplete((reached, error) -> {
            if (error != null) {
                giveUp(m, index, "it did not answer (" + error + ")", done);
                try {
                    // the stream to the member may be broken: the next ask opens a new one
                    client.getClientRpc().handleException(m.id, error, true);
                } catch (RuntimeException e) {
                    LOG.debug("the connection to member {} was not reset", m.id, e);
                }
                return;
            }
            if (reached >= index) {
                if (m.outOfReach) {
                    m.outOfReach = false;
                    LOG.info("member {} has the log again: subscriptions wait for it", m.id);
                }
                done.complete(null);
                return;
            }
            long now = System.nanoTime();
            Progress next = reached > progress.seen() ? new Progress(reached, now, progress.startNanos()) : progress;
            if (now - next.sinceNanos() >= TimeUnit.MILLISECONDS.toNanos(STALL_MILLIS)) {
                giveUp(m, index, "its applied index stood at " + reached + " for " + STALL_MILLIS + " ms", done);
            } else if (now - next.startNanos() >= TimeUnit.MILLISECONDS.toNanos(MAX_WAIT_MILLIS)) {
                giveUp(m, index, "it was at " + reached + " after " + MAX_WAIT_MILLIS + " ms", done);
            } else if (reached == NOT_SERVING) {
                // refused at once rather than held: ask again a little later
                CompletableFuture.delayedExecutor(RETRY_MILLIS, TimeUnit.MILLISECONDS)
                        .execute(() -> ask(m, index, next, done));
            } else {
                ask(m, index, next, done);
            }
        });
    }

    /** Asks {@code member} to answer, once it applied {@code index} or after a while, how far it applied. */
    private CompletableFuture<Long> send(RaftPeerId member, long index) {
        RaftClientRequest request = RaftClientRequest.newBuilder()
                .setClientId(client.getId())
                .setServerId(member)
                .setGroupId(client.getGroupId())
                .setCallId(CallId.getAndIncrement())
                .setMessage(AppliedAsks.askFor(index))
                // a stale read for index 0 is never refused: the member's state machine waits for the index
                .setType(RaftClientRequest.staleReadRequestType(0))
                .build();
        return client.getClientRpc().sendRequestAsyncUnordered(request).thenApply(AppliedBarrier::appliedIn);
    }

    private static long appliedIn(RaftClientReply reply) {
        Exception refused = reply.getException();
        if (refused instanceof StateMachineException
                && (refused.getCause() instanceof StaleReadException
                        || String.valueOf(refused.getMessage()).contains(StaleReadException.class.getName()))) {
            return NOT_SERVING; // the member knows of no committed entry yet (it has just started)
        }
        if (!reply.isSuccess()) {
            throw new CompletionException(
                    refused != null ? refused : new IllegalStateException("not answered: " + reply));
        }
        return AppliedAsks.appliedIn(reply.getMessage());
    }

    private void giveUp(Member m, long index, String why, CompletableFuture<Void> done) {
        if (!m.outOfReach) {
            m.outOfReach = true;
            LOG.warn(
                    "member {} was not waited for until it applied log index {}: {}; subscriptions do not wait for"
                            + " it until it has the log again",
                    m.id,
                    index,
                    why);
        }
        done.complete(null);
    }

    @Override
    public void close() {
        try {
            client.close();
        } catch (IOException e) {
            LOG.warn("closing the cluster's ask client failed", e);
        }
    }
}
