package io.berth.broker.store;

/**
 * An outbound QoS 1/2 message sent to the client and not yet acknowledged.
 *
 * @param seq the queue entry it delivers
 * @param packetId the packet identifier it was sent with
 * @param released true once PUBREC came and PUBREL was sent (QoS 2)
 */
public record InflightRecord(long seq, int packetId, boolean released) {}
