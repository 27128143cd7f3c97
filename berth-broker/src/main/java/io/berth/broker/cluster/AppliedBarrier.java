package io.berth.broker.cluster;

import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftPeerId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits until the other members applied the log up to an index (ADR 15): a SUBACK or UNSUBACK on a
 * cluster node goes once every member in reach routes publishes by the subscription. Each member is asked
 * with a Ratis stale read whose minimum index is the one waited for: the member answers once its state
 * machine applied that far ({@code BaseStateMachine.queryStale} waits for it), with the index it applied,
 * or refuses while its commit index is behind, and is asked again. A member that does not answer within
 * {@link #MEMBER_WAIT_MILLIS} (down, cut off, far behind) is not waited for from then on, until it
 * answers again (one ask at a time finds out): a subscription does not block on a member that is down.
 *
 * <p>Threading: {@link #await} on any thread; each member is asked on a thread of its own ({@code
 * berth-cluster-barrier}), one ask at a time.
 */
final class AppliedBarrier implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AppliedBarrier.class);
    /** How long one wait for a member goes on before it is taken as out of reach. */
    static final long MEMBER_WAIT_MILLIS = 2_000;

    private static final long ASK_AGAIN_MILLIS = 5;

    private final RaftClient client;
    private final List<Member> members = new ArrayList<>();
    private final LongSupplier applied;

    /** One other member: what it is known to have applied, whether it is in reach, its asking thread. */
    private static final class Member {
        final RaftPeerId id;
        final ExecutorService asks;
        final AtomicLong known = new AtomicLong(-1);
        final AtomicBoolean probing = new AtomicBoolean();
        volatile boolean outOfReach;

        Member(RaftPeerId id) {
            this.id = id;
            this.asks = Executors.newSingleThreadExecutor(new DefaultThreadFactory("berth-cluster-barrier", true));
        }
    }

    /**
     * @param client a client that does not retry (each ask is one request)
     * @param others the members other than this node
     * @param applied the index this node applied
     */
    AppliedBarrier(RaftClient client, List<RaftPeerId> others, LongSupplier applied) {
        this.client = client;
        this.applied = applied;
        for (RaftPeerId id : others) {
            members.add(new Member(id));
        }
    }

    /** Completes once every member in reach applied the log as far as this node has now. */
    CompletableFuture<Void> await() {
        long index = applied.getAsLong();
        List<CompletableFuture<Void>> waits = new ArrayList<>(members.size());
        for (Member m : members) {
            if (m.known.get() >= index) {
                continue;
            }
            if (m.outOfReach) {
                probe(m, index);
                continue;
            }
            try {
                waits.add(CompletableFuture.runAsync(() -> waitFor(m, index), m.asks));
            } catch (RejectedExecutionException closed) {
                // closing: nobody is waited for
            }
        }
        return waits.isEmpty()
                ? CompletableFuture.completedFuture(null)
                : CompletableFuture.allOf(waits.toArray(CompletableFuture[]::new));
    }

    /** On {@code m}'s thread: asks until it applied {@code index}, or until it is taken as out of reach. */
    private void waitFor(Member m, long index) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(MEMBER_WAIT_MILLIS);
        while (m.known.get() < index && !m.outOfReach) {
            if (ask(m, index)) {
                continue;
            }
            if (System.nanoTime() - deadline >= 0) {
                m.outOfReach = true;
                LOG.warn(
                        "member {} did not apply log index {} within {} ms: subscriptions do not wait for it until"
                                + " it answers",
                        m.id,
                        index,
                        MEMBER_WAIT_MILLIS);
                return;
            }
            try {
                Thread.sleep(ASK_AGAIN_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** One ask, off the caller's thread, of a member out of reach: is it back? */
    private void probe(Member m, long index) {
        if (!m.probing.compareAndSet(false, true)) {
            return;
        }
        try {
            m.asks.execute(() -> {
                try {
                    if (ask(m, index) && m.outOfReach) {
                        m.outOfReach = false;
                        LOG.info("member {} answers again: subscriptions wait for it", m.id);
                    }
                } finally {
                    m.probing.set(false);
                }
            });
        } catch (RejectedExecutionException closed) {
            m.probing.set(false);
        }
    }

    /** Asks {@code m} once; true when it answered that it applied {@code index} (and then how far). */
    private boolean ask(Member m, long index) {
        try {
            RaftClientReply reply = client.io().sendStaleRead(Message.EMPTY, index, m.id);
            if (!reply.isSuccess()) {
                return false;
            }
            long at = index;
            ByteBuffer answer = reply.getMessage().getContent().asReadOnlyByteBuffer();
            if (answer.remaining() >= Long.BYTES) {
                at = Math.max(at, answer.getLong());
            }
            long reached = at;
            m.known.accumulateAndGet(reached, Math::max);
            return true;
        } catch (IOException | RuntimeException e) {
            return false; // behind (its commit index is below), or out of reach
        }
    }

    @Override
    public void close() {
        for (Member m : members) {
            m.asks.shutdownNow();
        }
        try {
            client.close();
        } catch (IOException e) {
            LOG.warn("closing the cluster's barrier client failed", e);
        }
    }
}
