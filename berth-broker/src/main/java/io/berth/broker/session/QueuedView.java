package io.berth.broker.session;

/**
 * One queued message as an operator sees it.
 *
 * @param seq its position in the session's queue
 * @param payload the payload bytes
 */
public record QueuedView(long seq, String topic, int qos, boolean retain, long arrivalMillis, byte[] payload) {}
