package io.berth.broker.session;

/** How a publish was routed, once committed. */
enum Routed {
  /** Queued (or sent) for every matching subscriber whose limits allowed it, or for nobody. */
  STORED,
  /** At least one subscriber's queue refused it under the reject policy (5.0: 0x97 to the publisher). */
  QUOTA_EXCEEDED
}
