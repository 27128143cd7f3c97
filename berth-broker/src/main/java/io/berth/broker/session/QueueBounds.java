package io.berth.broker.session;

import io.berth.broker.config.OverflowPolicy;
import io.berth.broker.config.QueueLimits;
import io.berth.broker.metrics.BrokerMetrics;
import io.berth.broker.store.StoredMessage;
import org.jspecify.annotations.Nullable;

/**
 * How full a session's queue is against its limits: the count and bytes of what is queued, the
 * watermark (reported to the shard on the way up, and on the way down only below the drained mark), and
 * the admission of a new message under the overflow policy. Where the messages are is the business of
 * its {@link OutboundQueue}, which evicts for it under drop-oldest.
 *
 * <p>Threading: owned by the session's shard, like its queue; every method runs on it.
 */
final class QueueBounds {
    /** Drops the oldest message that may go to make room; false when there is none. */
    interface Evictor {
        boolean evictOldest(String reason);
    }

    private final String clientId;
    private final BrokerMetrics metrics;
    private final OutboundQueue.QueueEvents events;
    private final Evictor evictor;
    private QueueLimits limits = QueueLimits.DEFAULT;
    private boolean aboveWatermark;
    /** True while {@link #admit} makes room: the queue is between two states, not to be reported. */
    private boolean admitting;

    private long count;
    private long bytes;

    QueueBounds(String clientId, BrokerMetrics metrics, OutboundQueue.QueueEvents events, Evictor evictor) {
        this.clientId = clientId;
        this.metrics = metrics;
        this.events = events;
        this.evictor = evictor;
    }

    void limits(QueueLimits newLimits) {
        limits = newLimits;
    }

    QueueLimits limits() {
        return limits;
    }

    long count() {
        return count;
    }

    long bytes() {
        return bytes;
    }

    /** Counts {@code messages} and {@code size} bytes more (or fewer, when negative) in the queue. */
    void added(long messages, long size) {
        count += messages;
        bytes += size;
        metrics.queued(messages, size);
        if (!admitting) {
            checkWatermark();
        }
    }

    /** Raises the watermark event on the way up, and on the way down only below the drained mark. */
    private void checkWatermark() {
        boolean high = aboveWatermark
                ? count >= limits.messageDrainedMark() || bytes >= limits.byteDrainedMark()
                : count >= limits.messageWatermark() || bytes >= limits.byteWatermark();
        if (high != aboveWatermark) {
            aboveWatermark = high;
            events.crossed(clientId, high, count, bytes, limits);
        }
    }

    /**
     * Checks that a message fits within the limits and the broker-wide budget. Under drop-oldest the
     * {@code evictor} makes room. Returns null when the message may be queued, otherwise the policy
     * that refuses it and why.
     */
    @Nullable
    Refusal admit(StoredMessage message, long budget) {
        admitting = true;
        Refusal refusal;
        try {
            refusal = makeRoom(message, budget);
        } finally {
            admitting = false;
        }
        if (refusal != null) {
            checkWatermark();
        }
        // otherwise the caller reserves the position now, which checks the watermark
        return refusal;
    }

    private @Nullable Refusal makeRoom(StoredMessage message, long budget) {
        int size = message.sizeBytes();
        while (true) {
            String reason = count + 1 > limits.maxMessages() || bytes + size > limits.maxBytes()
                    ? Refusal.QUEUE_FULL
                    : metrics.queuedBytes() + size > budget ? Refusal.BUDGET : null;
            if (reason == null) {
                return null;
            }
            if (limits.overflow() != OverflowPolicy.DROP_OLDEST) {
                return new Refusal(limits.overflow(), reason);
            }
            if (!evictor.evictOldest(reason)) {
                // nothing left to evict (all in flight or not yet committed): the new message goes instead
                return new Refusal(OverflowPolicy.DROP_NEW, reason);
            }
        }
    }
}
