package io.berth.bench.client;

import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;

/**
 * Checks the deliveries of numbered streams (one per publisher, or per subscriber and publisher): each
 * stream's sequence numbers 0..n-1 are expected once each, in order. A number seen before is a duplicate;
 * a first sight below the highest number seen so far is out of order; numbers never seen are lost.
 *
 * <p>Threading: confined to the load generator's event loop.
 */
public final class SequenceCheck {
    private final Map<Long, Stream> streams = new HashMap<>();
    private long received;
    private long duplicates;
    private long outOfOrder;

    private static final class Stream {
        final BitSet seen = new BitSet();
        long highest = -1;
        long distinct;
    }

    /** Records one delivery of {@code seq} on stream {@code key}; true when it is the first one. */
    public boolean record(long key, long seq) {
        Stream s = streams.computeIfAbsent(key, k -> new Stream());
        received++;
        int i = (int) seq;
        if (s.seen.get(i)) {
            duplicates++;
            return false;
        }
        s.seen.set(i);
        s.distinct++;
        if (seq < s.highest) {
            outOfOrder++;
        } else {
            s.highest = seq;
        }
        return true;
    }

    /** Deliveries counted, duplicates included. */
    public long received() {
        return received;
    }

    /** Distinct messages delivered over all streams. */
    public long distinct() {
        return received - duplicates;
    }

    public long duplicates() {
        return duplicates;
    }

    public long outOfOrder() {
        return outOfOrder;
    }

    /** Messages of {@code expected} (the total sent over all streams) that never arrived. */
    public long lost(long expected) {
        return Math.max(0, expected - distinct());
    }

    /** The counts as one phrase for a report line. */
    public String summary(long expected) {
        return "lost " + lost(expected) + ", duplicates " + duplicates + ", out of order " + outOfOrder;
    }

    /** The key of publisher stream {@code stream} as seen by subscriber {@code subscriber}. */
    public static long key(int subscriber, int stream) {
        return ((long) subscriber << 32) | (stream & 0xFFFF_FFFFL);
    }
}
