package io.berth.broker.session;

import io.berth.broker.store.QueuedMessage;
import io.berth.broker.store.StoredMessage;
import io.berth.codec.MqttProperties;
import io.berth.codec.PublishPacket;
import java.util.List;

/** Builds the PUBLISH that delivers a queued message to its subscriber. Threading: stateless. */
final class OutgoingPublish {
    private OutgoingPublish() {}

    /** The packet identifier of a queue position (ADR 1). */
    static int packetIdOf(long seq) {
        return (int) (seq % 65_535) + 1;
    }

    /** Seconds left before the message expires at {@code nowMillis}; {@link Long#MAX_VALUE} when never. */
    static long remainingExpiry(QueuedMessage queued, long nowMillis) {
        long expiresAt = queued.message().expiresAtMillis();
        if (expiresAt == Long.MAX_VALUE) {
            return Long.MAX_VALUE;
        }
        long leftMillis = expiresAt - nowMillis;
        return leftMillis <= 0 ? 0 : (leftMillis + 999) / 1000;
    }

    static PublishPacket of(QueuedMessage queued, int packetId, boolean dup, long expiry) {
        StoredMessage m = queued.message();
        MqttProperties props = m.properties();
        List<Integer> ids = queued.entry().subscriptionIds();
        if (!ids.isEmpty() || props.messageExpiryInterval() != null) {
            MqttProperties.Builder b = props.toBuilder().subscriptionIdentifiers(ids);
            if (props.messageExpiryInterval() != null) {
                // 5.0 section 3.3.2.3.3: the forwarded interval is reduced by the time the message waited
                b.messageExpiryInterval(expiry);
            }
            props = b.build();
        }
        return new PublishPacket(
                m.topic(), queued.entry().qos(), queued.entry().retain(), dup, packetId, m.payload(), props);
    }
}
