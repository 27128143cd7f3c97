package io.berth.bench.client;

import io.berth.codec.PublishPacket;
import java.util.concurrent.CompletableFuture;
import org.HdrHistogram.Histogram;

/**
 * Receives the deliveries of one or more subscribers: checks sequence numbers, records end-to-end
 * latency (publisher send time to delivery) and completes {@link #all()} once {@code expected} distinct
 * messages arrived.
 *
 * <p>Threading: confined to the load generator's event loop (one thread for all clients).
 */
public final class Collector {
    private final SequenceCheck check = new SequenceCheck();
    private final Histogram latencyMicros = new Histogram(3_600_000_000L, 3);
    private final CompletableFuture<Void> all = new CompletableFuture<>();
    private final long expected;
    private long firstNanos;
    private long lastNanos;
    private volatile long receivedCount;

    public Collector(long expected) {
        this.expected = expected;
    }

    /** A listener for subscriber number {@code subscriber} (part of each stream's key). */
    public LoadClient.Listener listener(int subscriber) {
        return new LoadClient.Listener() {
            @Override
            public void delivered(PublishPacket p) {
                record(subscriber, p.payload());
            }
        };
    }

    private void record(int subscriber, byte[] payload) {
        long now = System.nanoTime();
        if (check.received() == 0) {
            firstNanos = now;
        }
        lastNanos = now;
        receivedCount++;
        if (check.record(SequenceCheck.key(subscriber, Payloads.stream(payload)), Payloads.seq(payload))) {
            latencyMicros.recordValue(Math.max(0, (now - Payloads.sentNanos(payload)) / 1000));
        }
        if (check.distinct() >= expected) {
            all.complete(null);
        }
    }

    public CompletableFuture<Void> all() {
        if (expected == 0) {
            all.complete(null);
        }
        return all;
    }

    /** Deliveries so far, readable from any thread (for progress checks). */
    public long received() {
        return receivedCount;
    }

    public SequenceCheck check() {
        return check;
    }

    public Histogram latencyMicros() {
        return latencyMicros;
    }

    public long expected() {
        return expected;
    }

    /** Nanos of the first and last delivery (0 when none came). */
    public long firstNanos() {
        return firstNanos;
    }

    public long lastNanos() {
        return lastNanos;
    }
}
