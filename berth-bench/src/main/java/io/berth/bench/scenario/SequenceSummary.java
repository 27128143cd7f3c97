package io.berth.bench.scenario;

import io.berth.bench.client.Collector;
import io.berth.bench.client.SequenceCheck;

/** The lost / duplicate / out-of-order counts of a collector against what was sent. */
record SequenceSummary(String text, boolean clean) {
  static SequenceSummary of(Collector c, long expected) {
    SequenceCheck k = c.check();
    boolean clean = k.lost(expected) == 0 && k.duplicates() == 0 && k.outOfOrder() == 0;
    return new SequenceSummary(k.summary(expected), clean);
  }
}
