package io.berth.broker.session;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs dropped messages at most once every ten seconds per shard, with the count since the last line,
 * so a full queue under load cannot flood the log.
 *
 * <p>Threading: owned by its shard's thread.
 */
final class DropLog {
  private static final Logger LOG = LoggerFactory.getLogger(DropLog.class);
  private static final long INTERVAL_NANOS = 10_000_000_000L;

  private long last = System.nanoTime() - INTERVAL_NANOS;
  private long since;

  void dropped(String clientId, Refusal refusal) {
    since++;
    long now = System.nanoTime();
    if (now - last >= INTERVAL_NANOS) {
      LOG.warn("queue of '{}' refused a message ({}, {}): {} message(s) dropped on this shard since the last "
          + "report", clientId, refusal.reason(), refusal.policy().optionName(), since);
      last = now;
      since = 0;
    }
  }
}
