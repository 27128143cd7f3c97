package io.berth.broker.cluster;

import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells whether this node is within reach of a majority of the session group, and says so when that
 * changes. The node is <em>in touch</em> while it follows a leader it heard from lately, or leads and
 * heard from a majority lately (see {@link GroupStatus#inTouch}): only then can what it submits commit.
 * It is <em>cut off</em> once it has been out of touch for {@code timeoutMillis} on end. A cut-off node
 * has acknowledged nothing since it lost the majority (its acknowledgements wait for commits that cannot
 * come); being told lets it disconnect its clients so that they reconnect to a node of the majority
 * instead of waiting. It is <em>back</em> as soon as it is in touch again. A node that was never in touch
 * (it starts, the group has no leader yet) is not cut off: its CONNECTs wait for the first leader.
 *
 * <p>Threading: {@link #check} runs on the {@code berth-cluster-watch} thread (or a test's), which owns
 * {@link #outOfTouchSince} and {@link #everInTouch}; {@link #cutOff} from any thread.
 */
final class MajorityWatch implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MajorityWatch.class);

    /** What the node does when it is cut off from the majority, and when it is back. */
    interface Reaction {
        void cutOff();

        void back();
    }

    private final long timeoutNanos;
    private final BooleanSupplier inTouch;
    private final LongSupplier nanoTime;
    private final Reaction reaction;

    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory("berth-cluster-watch", true));
    private long outOfTouchSince = -1;
    private boolean everInTouch;
    private volatile boolean cutOff;

    MajorityWatch(long timeoutMillis, BooleanSupplier inTouch, LongSupplier nanoTime, Reaction reaction) {
        this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        this.inTouch = inTouch;
        this.nanoTime = nanoTime;
        this.reaction = reaction;
    }

    /** Checks the node every tenth of the timeout (at least every 10 ms, at most every 500 ms). */
    void start() {
        long period = Math.max(10, Math.min(500, TimeUnit.NANOSECONDS.toMillis(timeoutNanos) / 10));
        timer.scheduleWithFixedDelay(this::checkSafely, period, period, TimeUnit.MILLISECONDS);
    }

    /** True while this node is cut off from the majority. */
    boolean cutOff() {
        return cutOff;
    }

    private void checkSafely() {
        try {
            check();
        } catch (RuntimeException e) {
            LOG.warn("checking the reach of the cluster's majority failed", e);
        }
    }

    /** Looks at the node now and reacts to a change. */
    void check() {
        long now = nanoTime.getAsLong();
        if (inTouch.getAsBoolean()) {
            everInTouch = true;
            outOfTouchSince = -1;
            if (cutOff) {
                cutOff = false;
                LOG.info("within reach of the cluster's majority again: accepting clients");
                reaction.back();
            }
            return;
        }
        if (!everInTouch) {
            return;
        }
        if (outOfTouchSince < 0) {
            outOfTouchSince = now;
        }
        if (!cutOff && now - outOfTouchSince >= timeoutNanos) {
            cutOff = true;
            LOG.warn(
                    "no leader with a majority within reach for {} ms: disconnecting this node's clients"
                            + " (5.0: Use another server) and refusing new ones until it is back",
                    TimeUnit.NANOSECONDS.toMillis(timeoutNanos));
            reaction.cutOff();
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
