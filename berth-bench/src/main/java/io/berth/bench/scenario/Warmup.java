package io.berth.bench.scenario;

import io.berth.bench.client.Collector;
import java.time.Duration;

/**
 * The warm-up that every throughput and latency scenario runs on the same broker process before its
 * measured phase: the same load shape (QoS, clients, window, payload) on topics and client ids of its own,
 * {@link Settings#warmupMessages()} messages, checked like a measured phase and then discarded (its
 * sessions ended with a clean session, so nothing of it stays queued), so that a JVM broker is measured
 * after its JIT compiled the path and every broker with warm caches, as in production. Nothing of it is
 * counted. It ends after {@link #LIMIT} at most: a slow peer (Mosquitto's QoS 2 moves a few thousand
 * messages a second) is then measured after a shorter warm-up, and the result's note says so.
 */
public final class Warmup {
    private Warmup() {}

    /** Client id and topic part of a warm-up, apart from every measured one. */
    static final String NAME = "warm";

    /** The longest a warm-up runs (or the scenario's time limit, when that is shorter). */
    public static final Duration LIMIT = Duration.ofSeconds(30);

    /** The deadline of a warm-up that starts now. */
    static long deadline(Settings s) {
        return System.nanoTime() + Math.min(s.limit().toNanos(), LIMIT.toNanos());
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
