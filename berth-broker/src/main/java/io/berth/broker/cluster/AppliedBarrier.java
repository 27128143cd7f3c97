package io.berth.broker.cluster;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.proto.RaftProtos.ReplicationLevel;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftPeerId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits until the other members have applied the log up to an index (ADR 16): a SUBACK or UNSUBACK on a
 * cluster node goes once every member routes publishes by the subscription. It asks the leader to watch
 * the index with {@link ReplicationLevel#ALL_COMMITTED} (every member knows the entry is committed), then
 * asks each other member, with a stale read naming the index, to answer once its state machine applied it
 * ({@link SessionStateMachine#queryStale}). When that does not complete within {@link #MEMBER_WAIT_MILLIS}
 * (a member is down, cut off or far behind) it is given up, and from then on subscriptions do not wait
 * until a wait completes again (one at a time finds out): a subscription never blocks on a member that is
 * down.
 *
 * <p>Threading: {@link #await} on any thread; the client's threads complete the waits.
 */
final class AppliedBarrier implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AppliedBarrier.class);
    /** How long one watch goes on before a member is taken as out of reach. */
    static final long MEMBER_WAIT_MILLIS = 2_000;

    private final RaftClient client;
    private final List<RaftPeerId> others;
    private final LongSupplier applied;
    /** True after a watch was given up, until one completes again. */
    private volatile boolean outOfReach;

    private final AtomicBoolean probing = new AtomicBoolean();

    /**
     * @param client the client that watches and asks
     * @param others the other members
     * @param applied the index this node applied
     */
    AppliedBarrier(RaftClient client, List<RaftPeerId> others, LongSupplier applied) {
        this.client = client;
        this.others = List.copyOf(others);
        this.applied = applied;
    }

    /** Completes once every member in reach has applied the log as far as this node applied it now. */
    CompletableFuture<Void> await() {
        long index = applied.getAsLong();
        if (index < 0) {
            return CompletableFuture.completedFuture(null);
        }
        if (outOfReach) {
            if (probing.compareAndSet(false, true)) {
                watch(index).whenComplete((v, e) -> probing.set(false));
            }
            return CompletableFuture.completedFuture(null);
        }
        return watch(index);
    }

    /**
     * Watches {@code index}, then asks every other member to answer once it applied it; completes either
     * way, within {@link #MEMBER_WAIT_MILLIS}.
     */
    private CompletableFuture<Void> watch(long index) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            client.async()
                    .watch(index, ReplicationLevel.ALL_COMMITTED)
                    .thenCompose(reply -> reply.isSuccess() ? appliedByOthers(index) : failed(reply))
                    .orTimeout(MEMBER_WAIT_MILLIS, TimeUnit.MILLISECONDS)
                    .whenComplete((v, error) -> {
                        if (error == null) {
                            if (outOfReach) {
                                outOfReach = false;
                                LOG.info("every member has the log again: subscriptions wait for them");
                            }
                        } else if (!outOfReach) {
                            outOfReach = true;
                            LOG.warn(
                                    "not every member applied log index {} within {} ms: subscriptions do not wait"
                                            + " for them until they all do",
                                    index,
                                    MEMBER_WAIT_MILLIS);
                        }
                        done.complete(null);
                    });
        } catch (RuntimeException e) {
            outOfReach = true;
            done.complete(null);
        }
        return done;
    }

    /** Completes once every other member answered that it applied {@code index}; fails when one cannot. */
    private CompletableFuture<Void> appliedByOthers(long index) {
        CompletableFuture<?>[] asks = new CompletableFuture<?>[others.size()];
        for (int i = 0; i < asks.length; i++) {
            asks[i] = client.async()
                    .sendStaleRead(Message.EMPTY, index, others.get(i))
                    .thenCompose(reply -> reply.isSuccess() ? CompletableFuture.completedFuture(null) : failed(reply));
        }
        return CompletableFuture.allOf(asks);
    }

    private static CompletableFuture<Void> failed(RaftClientReply reply) {
        Exception e = reply.getException();
        return CompletableFuture.failedFuture(e != null ? e : new IllegalStateException("not answered: " + reply));
    }

    @Override
    public void close() {
        try {
            client.close();
        } catch (IOException e) {
            LOG.warn("closing the cluster's watch client failed", e);
        }
    }
}
