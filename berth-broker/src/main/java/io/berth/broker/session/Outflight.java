package io.berth.broker.session;

import io.berth.broker.store.QueuedMessage;
import io.berth.codec.QoS;

/**
 * One outbound QoS 1/2 message sent and not yet acknowledged.
 *
 * <p>Threading: owned by the session's shard.
 */
final class Outflight {
    final long seq;
    final long messageId;
    final int packetId;
    final QoS qos;
    final int sizeBytes;
    /** PUBREC came and PUBREL was (or is to be) sent. */
    boolean released;
    /** Sent on the current connection; false after a reconnect until it is resent. */
    boolean sentHere;
    /** The message while the client is online, to resend without a read; null otherwise. */
    QueuedMessage message;

    Outflight(long seq, long messageId, int packetId, QoS qos, int sizeBytes) {
        this.seq = seq;
        this.messageId = messageId;
        this.packetId = packetId;
        this.qos = qos;
        this.sizeBytes = sizeBytes;
    }
}
