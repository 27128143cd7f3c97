package io.berth.broker.cluster;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.proto.RaftProtos.ReplicationLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits until the other members have the log up to an index (ADR 16): a SUBACK or UNSUBACK on a cluster
 * node goes once every member routes publishes by the subscription. It asks the leader to watch the index
 * with {@link ReplicationLevel#ALL_COMMITTED}: every member knows the entry is committed, and so applies it
 * next (a member's state machine applies each entry as soon as it learns that it is committed). A watch
 * that does not complete within {@link #MEMBER_WAIT_MILLIS} (a member is down, cut off or far behind) is
 * given up, and from then on subscriptions do not wait until a watch completes again (one at a time finds
 * out): a subscription never blocks on a member that is down.
 *
 * <p>Threading: {@link #await} on any thread; the client's threads complete the watches.
 */
final class AppliedBarrier implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AppliedBarrier.class);
    /** How long one watch goes on before a member is taken as out of reach. */
    static final long MEMBER_WAIT_MILLIS = 2_000;

    private final RaftClient client;
    private final LongSupplier applied;
    /** True after a watch was given up, until one completes again. */
    private volatile boolean outOfReach;

    private final AtomicBoolean probing = new AtomicBoolean();

    /**
     * @param client the client that watches
     * @param applied the index this node applied
     */
    AppliedBarrier(RaftClient client, LongSupplier applied) {
        this.client = client;
        this.applied = applied;
    }

    /** Completes once every member in reach has the log committed as far as this node applied it now. */
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

    /** Watches {@code index}; completes either way, within {@link #MEMBER_WAIT_MILLIS}. */
    private CompletableFuture<Void> watch(long index) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            client.async()
                    .watch(index, ReplicationLevel.ALL_COMMITTED)
                    .orTimeout(MEMBER_WAIT_MILLIS, TimeUnit.MILLISECONDS)
                    .whenComplete((reply, error) -> {
                        if (error == null && reply.isSuccess()) {
                            if (outOfReach) {
                                outOfReach = false;
                                LOG.info("every member has the log again: subscriptions wait for them");
                            }
                        } else if (!outOfReach) {
                            outOfReach = true;
                            LOG.warn(
                                    "not every member had log index {} within {} ms: subscriptions do not wait for"
                                            + " them until they all do",
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

    @Override
    public void close() {
        try {
            client.close();
        } catch (IOException e) {
            LOG.warn("closing the cluster's watch client failed", e);
        }
    }
}
