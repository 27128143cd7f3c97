package io.berth.broker.config;

import java.util.List;
import java.util.Objects;

/**
 * The queue limits of every session: defaults, per-client rules, and a broker-wide budget of queued
 * bytes.
 *
 * @param queuedBytesBudget most queued bytes over all sessions; beyond it each session's overflow policy
 *     applies as if its own queue were full
 * @param retained bounds on retained messages
 */
public record Limits(QueueLimits defaults, List<LimitRule> rules, long queuedBytesBudget, RetainedLimits retained) {
    /** Default budget: 8 GiB of queued payloads on disk. */
    public static final Limits DEFAULT =
            new Limits(QueueLimits.DEFAULT, List.of(), 8L * 1024 * 1024 * 1024, RetainedLimits.DEFAULT);

    public Limits(QueueLimits defaults, List<LimitRule> rules, long queuedBytesBudget) {
        this(defaults, rules, queuedBytesBudget, RetainedLimits.DEFAULT);
    }

    public Limits {
        Objects.requireNonNull(defaults, "defaults");
        Objects.requireNonNull(retained, "retained");
        rules = List.copyOf(rules);
        if (queuedBytesBudget < 1) {
            throw new IllegalArgumentException("queued-bytes-budget must be at least 1, is " + queuedBytesBudget);
        }
    }

    /** The limits for a session. */
    public QueueLimits of(String clientId, String username) {
        for (LimitRule r : rules) {
            if (r.matches(clientId, username)) {
                return r.limits();
            }
        }
        return defaults;
    }
}
