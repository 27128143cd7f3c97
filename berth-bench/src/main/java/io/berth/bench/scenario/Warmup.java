package io.berth.bench.scenario;

import io.berth.bench.client.Collector;

/**
 * The warm-up that every throughput and latency scenario runs on the same broker process before its
 * measured phase: the same load shape (QoS, clients, window, payload) on topics and client ids of its own,
 * {@link Settings#warmupMessages()} messages, checked like a measured phase and then discarded (its
 * sessions ended with a clean session, so nothing of it stays queued), so that a JVM broker is measured
 * after its JIT compiled the path and every broker with warm caches, as in production. Nothing of it is
 * counted. Like every phase it ends at the scenario's time limit ({@code --limit-seconds}) at most: a peer
 * too slow for the warm-up count is then measured after a shorter warm-up, and the result's note says so.
 * The limit is not shorter than that on purpose: on a loaded machine a 30-second warm-up ended after
 * 33,354 of 300,000 messages on Berth, which then measured mostly its JIT again.
 */
final class Warmup {
    private Warmup() {}

    /** Client id and topic part of a warm-up, apart from every measured one. */
    static final String NAME = "warm";

    /** The deadline of a warm-up that starts now: the scenario's time limit, as for a measured phase. */
    static long deadline(Settings s) {
        return System.nanoTime() + s.limit().toNanos();
    }

    /**
     * The note a result carries about its warm-up: empty when every warm-up message was delivered (the
     * collector completes only then: nothing lost), else how far it got before its time ran out.
     */
    static String note(Collector c, long expected, boolean finished) {
        if (finished) {
            return "";
        }
        return String.format(
                "warm-up ended by its time limit with %,d of %,d messages delivered",
                c.check().distinct(), expected);
    }

    /** {@code a} and {@code b} joined by "; ", either may be empty. */
    static String join(String a, String b) {
        return a.isEmpty() ? b : b.isEmpty() ? a : a + "; " + b;
    }
}
