package io.berth.broker.session;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Keeps publishers from running far ahead of an online subscriber. When a message is stored for this
 * session while more than {@link #HOLD_ABOVE} messages already wait to be sent to it, the reply that lets
 * the publisher's acknowledgement go is held here, and let go when the session has sent its backlog down
 * to {@link #RELEASE_AT}, when it goes offline, or at the latest {@link #MAX_HOLD_MILLIS} after the first
 * was held (a subscriber that stopped reading slows its publishers, it does not stop them).
 *
 * <p>A publisher with a window of unacknowledged messages then waits, and the subscriber's backlog stays
 * near {@code HOLD_ABOVE} plus the publishers' windows instead of growing for as long as the publishers
 * are faster: the delivery latency stays short and what is queued stays in memory. Nothing is dropped or
 * reordered: the messages are stored and queued as usual, only the acknowledgement waits, and the
 * publisher's acknowledgements keep their order (its {@link AckQueue}). The connection keeps reading, so
 * a client that is both publisher and subscriber still sends its own acknowledgements. An offline
 * session holds nothing: its queue fills up to its limits as before.
 *
 * <p>Threading: owned by the session's shard.
 */
final class Pacing {
    /** Messages waiting to be sent above which a publisher's acknowledgement is held. */
    static final int HOLD_ABOVE = 512;
    /** Messages waiting to be sent at or below which the held acknowledgements go. */
    static final int RELEASE_AT = 256;
    /** The longest an acknowledgement is held. */
    static final long MAX_HOLD_MILLIS = 100;

    /** Runs a task on the shard after a delay. */
    @FunctionalInterface
    interface Timer {
        void after(long millis, Runnable task);
    }

    private final Timer timer;
    /** The replies held, in the order they came; null when none. */
    private @Nullable List<Runnable> held;
    /** Counts the rounds of holding, so that a timer of an earlier round does nothing. */
    private long round;

    Pacing(Timer timer) {
        this.timer = timer;
    }

    /** Pacing whose timers run on {@code shard} (none when it is not a {@link ShardExecutor}: tests). */
    static Pacing on(java.util.concurrent.Executor shard) {
        return new Pacing(
                shard instanceof ShardExecutor s
                        ? (millis, task) -> s.schedule(task, millis, java.util.concurrent.TimeUnit.MILLISECONDS)
                        : (millis, task) -> {});
    }

    /**
     * {@code reply}, held by the first online session of {@code prepared} that is far behind when the
     * entries have committed; {@code reply} itself when none of them is online. Runs on the shard of
     * {@code sessions}, as does the reply it returns.
     */
    static PendingRoute.Done paced(Map<String, Session> sessions, List<Prepared> prepared, PendingRoute.Done reply) {
        boolean online = false;
        for (int i = 0; i < prepared.size() && !online; i++) {
            Session s = sessions.get(prepared.get(i).clientId());
            online = s != null && s.connection != null;
        }
        if (!online) {
            return reply;
        }
        return (rejected, error) -> {
            for (Prepared p : prepared) {
                Session s = sessions.get(p.clientId());
                Pacing pacing = s == null ? null : s.outbound.pacing;
                if (s != null
                        && s.incarnation == p.incarnation()
                        && pacing != null
                        && backlogged(s.outbound.waiting())) {
                    pacing.hold(() -> reply.done(rejected, error));
                    return;
                }
            }
            reply.done(rejected, error);
        };
    }

    /** Whether a reply for a message stored now should wait, with {@code waiting} messages not yet sent. */
    static boolean backlogged(long waiting) {
        return waiting > HOLD_ABOVE;
    }

    /** Holds {@code reply} until the backlog is down (or the time is up). */
    void hold(Runnable reply) {
        if (held == null) {
            held = new ArrayList<>();
            long thisRound = ++round;
            timer.after(MAX_HOLD_MILLIS, () -> {
                if (round == thisRound) {
                    releaseAll();
                }
            });
        }
        held.add(reply);
    }

    boolean isHolding() {
        return held != null;
    }

    /** The session sent some: with {@code waiting} messages not yet sent, lets the held replies go if few. */
    void sent(long waiting) {
        if (held != null && waiting <= RELEASE_AT) {
            releaseAll();
        }
    }

    /** Lets every held reply go, in order. */
    void releaseAll() {
        List<Runnable> replies = held;
        if (replies == null) {
            return;
        }
        held = null;
        round++;
        for (Runnable r : replies) {
            r.run();
        }
    }
}
