package io.berth.broker.session;

import io.berth.broker.config.OverflowPolicy;

/**
 * Why a message was not queued for a session, and the overflow policy that decides what follows.
 *
 * @param reason the metric tag: {@value #QUEUE_FULL} (the session's own limits) or {@value #BUDGET}
 *     (the broker-wide budget of queued bytes)
 */
record Refusal(OverflowPolicy policy, String reason) {
  static final String QUEUE_FULL = "queue-full";
  static final String BUDGET = "budget";
}
