package io.berth.bench.client;

import io.berth.codec.QoS;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;
import org.HdrHistogram.Histogram;
import org.jspecify.annotations.Nullable;

/**
 * Drives one {@link LoadClient}: publishes messages 0..count-1 of one stream with at most {@code window}
 * unacknowledged, as fast as acknowledgements allow or paced at a fixed rate. Paced messages carry their
 * intended send time, so a publisher that falls behind shows it as latency (no coordinated omission).
 *
 * <p>Threading: confined to the client's event loop after {@link #start}.
 */
public final class Publisher implements LoadClient.Listener {
    private final int stream;
    private final QoS qos;
    private int window;
    private final int payloadSize;
    private final long count;
    private final double ratePerSecond;
    private final LongFunction<String> topicOf;
    private final Histogram ackMicros;
    private final boolean batchedWrites;
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private @Nullable LoadClient client;
    private @Nullable ScheduledFuture<?> pacer;
    private long startNanos;
    private long sent;
    private long acked;
    private long failed;

    /**
     * @param ratePerSecond 0 for as fast as the window allows
     * @param ackMicros where publish-to-acknowledgement times go (shared by publishers of one event loop)
     * @param batchedWrites false: what an acknowledgement lets go is written to the socket at once, one
     *     write per message (as a device's client does); true: it is written when the read that brought
     *     the acknowledgements ends, one write for all of them (as an event-driven client does). Paced
     *     publishers write once per tick of their pacer either way.
     */
    public Publisher(
            int stream,
            QoS qos,
            int window,
            int payloadSize,
            long count,
            double ratePerSecond,
            LongFunction<String> topicOf,
            Histogram ackMicros,
            boolean batchedWrites) {
        this.batchedWrites = batchedWrites;
        this.stream = stream;
        this.qos = qos;
        this.window = window;
        this.payloadSize = payloadSize;
        this.count = count;
        this.ratePerSecond = ratePerSecond;
        this.topicOf = topicOf;
        this.ackMicros = ackMicros;
    }

    /** Starts publishing on {@code c}; completes when every message is acknowledged. */
    public CompletableFuture<Void> start(LoadClient c) {
        client = c;
        window = Math.min(window, c.sendQuota());
        c.eventLoop().execute(() -> {
            startNanos = System.nanoTime();
            if (ratePerSecond > 0) {
                pacer = c.eventLoop().scheduleAtFixedRate(this::sendMoreAndFlush, 0, 1, TimeUnit.MILLISECONDS);
            } else {
                sendMoreAndFlush();
            }
            if (count == 0) {
                done.complete(null);
            }
        });
        return done;
    }

    public long sent() {
        return sent;
    }

    public long acked() {
        return acked;
    }

    public long failed() {
        return failed;
    }

    /** Writes what may go now and sends it to the socket at once. */
    private void sendMoreAndFlush() {
        sendMore();
        LoadClient client = this.client;
        if (client != null) {
            client.flush();
        }
    }

    /** Writes what may go now, unflushed. */
    private void sendMore() {
        LoadClient client = this.client;
        if (client == null) {
            throw new IllegalStateException("publisher " + stream + " was not started");
        }
        long now = System.nanoTime();
        long due = ratePerSecond > 0 ? Math.min(count, (long) ((now - startNanos) * ratePerSecond / 1e9) + 1) : count;
        while (sent < due && (qos == QoS.AT_MOST_ONCE || client.inFlight() < window)) {
            long stamp = ratePerSecond > 0 ? startNanos + (long) (sent * 1e9 / ratePerSecond) : now;
            client.publish(topicOf.apply(sent), qos, Payloads.encode(stream, sent, stamp, payloadSize), stamp);
            sent++;
        }
        if (qos == QoS.AT_MOST_ONCE && sent == count) {
            finish();
        }
    }

    @Override
    public void acknowledged(long sentNanos, boolean refused) {
        acked++;
        if (refused) {
            failed++;
        }
        ackMicros.recordValue(Math.max(0, (System.nanoTime() - sentNanos) / 1000));
        if (acked == count) {
            finish();
        } else if (pacer == null) {
            // batched: the client flushes once when the read that brought this acknowledgement ends
            if (batchedWrites) {
                sendMore();
            } else {
                sendMoreAndFlush();
            }
        }
    }

    @Override
    public void closed() {
        if (!done.isDone()) {
            done.completeExceptionally(new IllegalStateException(
                    "publisher " + stream + " lost its connection after " + acked + " of " + count + " acks"));
        }
    }

    private void finish() {
        ScheduledFuture<?> p = pacer;
        if (p != null) {
            p.cancel(false);
        }
        done.complete(null);
    }
}
