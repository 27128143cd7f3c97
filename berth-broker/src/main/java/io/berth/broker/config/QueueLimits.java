package io.berth.broker.config;

import java.util.Objects;

/**
 * The limits of one session's queue.
 *
 * @param maxMessages most messages queued (in flight included)
 * @param maxBytes most payload plus topic bytes queued
 * @param maxAgeSeconds a queued message older than this is dropped; 0 for no limit
 * @param overflow what happens when a limit is reached
 * @param watermarkPercent fill level (of either limit) that raises a watermark event; the queue counts as
 *     drained again only below half of it (both limits), so that a queue that stays full raises one event
 */
public record QueueLimits(
        long maxMessages, long maxBytes, long maxAgeSeconds, OverflowPolicy overflow, int watermarkPercent) {

    /** The defaults: 100,000 messages, 256 MiB, no age limit, drop the oldest, warn at 80 %. */
    public static final QueueLimits DEFAULT =
            new QueueLimits(100_000, 256L * 1024 * 1024, 0, OverflowPolicy.DROP_OLDEST, 80);

    public QueueLimits {
        Objects.requireNonNull(overflow, "overflow");
        if (maxMessages < 1) {
            throw new IllegalArgumentException("max-queued-messages must be at least 1, is " + maxMessages);
        }
        if (maxBytes < 1) {
            throw new IllegalArgumentException("max-queued-bytes must be at least 1, is " + maxBytes);
        }
        if (maxAgeSeconds < 0) {
            throw new IllegalArgumentException("max-message-age must not be negative, is " + maxAgeSeconds);
        }
        if (watermarkPercent < 1 || watermarkPercent > 100) {
            throw new IllegalArgumentException("watermark must be 1..100 (%), is " + watermarkPercent);
        }
    }

    /** The message count at which the watermark event is raised. */
    public long messageWatermark() {
        return Math.max(1, maxMessages * watermarkPercent / 100);
    }

    /** The byte count at which the watermark event is raised. */
    public long byteWatermark() {
        return Math.max(1, maxBytes * watermarkPercent / 100);
    }

    /** Below this message count (and {@link #byteDrainedMark}) a queue past its watermark has drained. */
    public long messageDrainedMark() {
        return Math.max(1, messageWatermark() / 2);
    }

    /** Below this byte count (and {@link #messageDrainedMark}) a queue past its watermark has drained. */
    public long byteDrainedMark() {
        return Math.max(1, byteWatermark() / 2);
    }
}
