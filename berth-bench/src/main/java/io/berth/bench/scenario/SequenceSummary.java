package io.berth.bench.scenario;

import io.berth.bench.client.Collector;
import io.berth.bench.client.SequenceCheck;

/** The lost / duplicate / out-of-order counts of a collector against what was sent. */
record SequenceSummary(String text, boolean clean) {
    /**
     * @param cutShort true when the wait ended at the time limit while messages were still coming: the
     *     missing ones are then "not delivered in time", not known to be lost
     */
    static SequenceSummary of(Collector c, long expected, boolean cutShort) {
        SequenceCheck k = c.check();
        boolean clean = k.lost(expected) == 0 && k.duplicates() == 0 && k.outOfOrder() == 0;
        String text = cutShort && k.lost(expected) > 0
                ? k.summary(expected).replace("lost ", "not delivered within the time limit ")
                : k.summary(expected);
        return new SequenceSummary(text, clean);
    }
}
