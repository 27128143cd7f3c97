package io.berth.broker.cluster;

import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the sessions that nobody serves and has them adopted through the log (ADR 14), so that their
 * wills go out and they expire while the node that served them is gone:
 * <ul>
 *   <li>once this node is in touch with the group after it started, it adopts the sessions that the log
 *       says it owns (its former run's, which a restart does not restore, ADR 13): one
 *       {@link LogEntry.Kind#ADOPT} of itself;
 *   <li>while it leads, a member that the leader has not heard from for the grace period on end loses the
 *       sessions it owns to this node: one {@link LogEntry.Kind#ADOPT} of that member. A member heard from
 *       again within the grace keeps them.
 * </ul>
 * Which sessions an adoption takes is decided when it is applied (those the member owns then), so a
 * session that its client claimed on another node in the meantime stays there. Each adopted session is
 * then served here ({@link Group#serve}) with its will and expiry timers running.
 *
 * <p>Threading: {@link #check} and every completion run on the {@code berth-cluster-orphans} thread (or a
 * test's, through {@link #check} and a direct executor), which owns {@link #downSince}, {@link #adopting},
 * {@link #selfAdopted} and {@link #selfAdopting}.
 */
final class OrphanWatch implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OrphanWatch.class);
    private static final long PERIOD_MILLIS = 250;

    /** What the watch reads of this node and what it asks of it. */
    interface Group {
        /** True once the broker's sessions are attached to the node (adopted sessions have a place). */
        boolean attached();

        /** True while this node is in touch with a leader, or leads with a majority ({@link GroupStatus#inTouch}). */
        boolean inTouch();

        /** This node's view of the group now. */
        GroupStatus status();

        /** The nodes that own at least one session, as this node's applied log says. */
        Set<String> owningNodes();

        /** Submits the adoption of {@code from}'s sessions; completes with the ids adopted once applied here. */
        CompletableFuture<List<String>> adopt(String from);

        /** Serves the adopted sessions {@code clientIds} on this node. */
        void serve(List<String> clientIds);
    }

    private final String self;
    private final long graceNanos;
    private final LongSupplier nanoTime;
    private final Group group;
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory("berth-cluster-orphans", true));

    /** Members this node, leading, has not heard from, with when that began (as {@link #nanoTime} says). */
    private final Map<String, Long> downSince = new HashMap<>();
    /** Members whose adoption is submitted and not yet done. */
    private final Set<String> adopting = new HashSet<>();

    private boolean selfAdopted;
    private boolean selfAdopting;

    OrphanWatch(String self, long graceMillis, LongSupplier nanoTime, Group group) {
        this.self = self;
        this.graceNanos = TimeUnit.MILLISECONDS.toNanos(graceMillis);
        this.nanoTime = nanoTime;
        this.group = group;
    }

    void start() {
        timer.scheduleWithFixedDelay(this::checkSafely, PERIOD_MILLIS, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void checkSafely() {
        try {
            check();
        } catch (RuntimeException e) {
            LOG.warn("looking for sessions that nobody serves failed", e);
        }
    }

    /** Looks at the group now and submits the adoptions it calls for. */
    void check() {
        if (!group.attached() || !group.inTouch()) {
            downSince.clear();
            return;
        }
        if (!selfAdopted && !selfAdopting) {
            selfAdopting = true;
            group.adopt(self)
                    .whenComplete((ids, error) -> onWatch(() -> {
                        selfAdopting = false;
                        if (error == null) {
                            selfAdopted = true;
                            group.serve(ids);
                        } else {
                            LOG.debug("adopting this node's former sessions failed, tried again: {}", error.toString());
                        }
                    }));
        }
        GroupStatus status = group.status();
        if (!status.leading()) {
            downSince.clear();
            return;
        }
        long now = nanoTime.getAsLong();
        Set<String> owning = group.owningNodes();
        for (GroupStatus.Member m : status.members()) {
            if (m.id().equals(self) || !Boolean.FALSE.equals(m.alive())) {
                downSince.remove(m.id());
                continue;
            }
            long since = downSince.computeIfAbsent(m.id(), id -> now);
            if (now - since >= graceNanos && owning.contains(m.id()) && adopting.add(m.id())) {
                LOG.info(
                        "node {} unheard of for {} ms: adopting the sessions it owns",
                        m.id(),
                        TimeUnit.NANOSECONDS.toMillis(now - since));
                group.adopt(m.id())
                        .whenComplete((ids, error) -> onWatch(() -> {
                            adopting.remove(m.id());
                            if (error == null) {
                                group.serve(ids);
                            } else {
                                LOG.warn(
                                        "adopting the sessions of node {} failed, tried again: {}",
                                        m.id(),
                                        error.toString());
                            }
                        }));
            }
        }
    }

    /** Runs {@code task} on the watch's thread (completions come from the store's committer thread). */
    private void onWatch(Runnable task) {
        try {
            timer.execute(task);
        } catch (RejectedExecutionException e) {
            LOG.debug("the watch stopped before an adoption completed");
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
