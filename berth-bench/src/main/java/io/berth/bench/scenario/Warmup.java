package io.berth.bench.scenario;

import io.berth.bench.client.Collector;
import io.berth.bench.client.SequenceCheck;

/**
 * The warm-up that every throughput and latency scenario runs on the same broker process before its
 * measured phase: the same load shape (QoS, clients, window, payload) on topics and client ids of its own,
 * {@link Settings#warmupMessages()} messages, checked like a measured phase and then discarded, so that a
 * JVM broker is measured after its JIT compiled the path and every broker with warm caches, as in
 * production. Nothing of it is counted.
 */
final class Warmup {
    private Warmup() {}

    /** Client id and topic part of a warm-up, apart from every measured one. */
    static final String NAME = "warm";

    /**
     * Fails the scenario when the warm-up did not finish or lost a message: a broker that loses messages
     * while warming up is not measured.
     */
    static void check(String scenario, Collector c, long expected, boolean finished) {
        SequenceCheck k = c.check();
        if (!finished || k.lost(expected) > 0) {
            throw new IllegalStateException(scenario + ": the warm-up of " + expected + " messages "
                    + (finished ? "" : "did not finish within the time limit; ") + k.summary(expected));
        }
    }
}
