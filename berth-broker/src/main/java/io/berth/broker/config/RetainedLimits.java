package io.berth.broker.config;

/**
 * Bounds on retained messages, broker-wide and per publishing client. A retained message that would
 * pass one is not retained (5.0: the publisher gets 0x97 Quota exceeded; 3.1.1: logged); replacing or
 * clearing a topic's message is always possible.
 *
 * @param maxMessages retained messages in all
 * @param maxBytes payload plus topic bytes of all retained messages
 * @param maxMessagesPerClient retained messages whose current version one client id published
 * @param maxBytesPerClient bytes of the retained messages one client id published
 */
public record RetainedLimits(long maxMessages, long maxBytes, long maxMessagesPerClient, long maxBytesPerClient) {
    /** The defaults: 100,000 messages and 256 MiB in all; 10,000 messages and 64 MiB per client. */
    public static final RetainedLimits DEFAULT = new RetainedLimits(100_000, 256L << 20, 10_000, 64L << 20);

    public RetainedLimits {
        positive(maxMessages, "max-messages");
        positive(maxBytes, "max-bytes");
        positive(maxMessagesPerClient, "max-messages-per-client");
        positive(maxBytesPerClient, "max-bytes-per-client");
    }

    private static void positive(long value, String key) {
        if (value < 1) {
            throw new IllegalArgumentException(key + " must be at least 1, is " + value);
        }
    }
}
