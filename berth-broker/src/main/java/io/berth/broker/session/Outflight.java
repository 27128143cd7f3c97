package io.berth.broker.session;

import io.berth.broker.store.QueuedMessage;
import io.berth.codec.QoS;
import org.jspecify.annotations.Nullable;

/**
 * One outbound QoS 1/2 message sent and not yet acknowledged.
 *
 * <p>Threading: owned by the session's shard.
 */
final class Outflight {
    final long seq;
    final long messageId;
    final int packetId;
    final @Nullable QoS qos;
    final int sizeBytes;
    /** PUBREC came and PUBREL was (or is to be) sent. */
    boolean released;
    /** Sent on the current connection; false after a reconnect until it is resent. */
    boolean sentHere;
    /** The message while the client is online, to resend without a read; null otherwise. */
    @Nullable
    QueuedMessage message;

    Outflight(long seq, long messageId, int packetId, @Nullable QoS qos, int sizeBytes) {
        this.seq = seq;
        this.messageId = messageId;
        this.packetId = packetId;
        this.qos = qos;
        this.sizeBytes = sizeBytes;
    }
}
