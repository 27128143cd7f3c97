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
 *
 * <p>A warm-up is {@link #ROUNDS} rounds, each with clients, sessions and topics of its own, connected,
 * loaded with its share of the messages and then disconnected, so that the measured phase is not the first
 * time the broker sees one set of clients leave and another come. A production broker sees that all the
 * time; a JVM broker that saw it only at the start of the measured phase paid for it there: a JFR
 * recording of Berth after a one-round warm-up of 300,000 messages showed 69 deoptimisations in the second
 * the measured clients connected and its C2 compiler busy (0.6-0.8 of a core) for the next 2-3 s, about
 * 1.4 s of CPU and 1.2 s of wall time on a 200,000-message phase (the same build measured 77,610 msg/s at
 * 14.2 µs/msg after one round and 109,463-118,511 msg/s at 9.3-9.4 µs/msg after two; Mosquitto
 * 102,285 msg/s in the same run).
 */
final class Warmup {
    private Warmup() {}

    /** Client id and topic part of a warm-up's first round, apart from every measured one. */
    static final String NAME = "warm";

    /** Rounds of a warm-up, each with clients of its own. */
    static final int ROUNDS = 2;

    /**
     * A round whose broker CPU per message is this much lower than the round before it: the broker is still
     * warming up (its JIT compiling), and scenarios that allow it run another round.
     */
    static final double STILL_WARMING = 0.10;

    /** True when a round at {@code perMessage} CPU per message came after one at {@code previous} still warming up. */
    static boolean stillWarming(double previous, double perMessage) {
        return !(perMessage > previous * (1 - STILL_WARMING));
    }

    /** Client id and topic part of round {@code round} (from 0) of a warm-up. */
    static String name(int round) {
        return round == 0 ? NAME : NAME + (round + 1);
    }

    /** Messages of round {@code round} (from 0) of a warm-up of {@code messages}: equal shares, the rest last. */
    static long share(long messages, int round) {
        long each = messages / ROUNDS;
        return round == ROUNDS - 1 ? messages - each * (ROUNDS - 1) : each;
    }

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
