package io.berth.broker.store;

import io.berth.codec.MqttProperties;
import io.berth.codec.QoS;
import java.util.Objects;

/**
 * An application message as the broker keeps it: stored once and shared by every queue that holds it.
 *
 * @param id broker-wide unique id, increasing in arrival order
 * @param topic the topic name (never an alias)
 * @param payload shared, never modified
 * @param qos the QoS it was published with
 * @param retain the RETAIN flag it was published with
 * @param properties the properties to forward (no topic alias, no subscription identifiers); its message
 *     expiry interval is the one received
 * @param arrivalMillis wall-clock arrival time, for message expiry
 * @param publisherId client id of the publisher (for No Local), empty when the broker published it
 */
public record StoredMessage(
        long id,
        String topic,
        byte[] payload,
        QoS qos,
        boolean retain,
        MqttProperties properties,
        long arrivalMillis,
        String publisherId) {

    public StoredMessage {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(qos, "qos");
        Objects.requireNonNull(properties, "properties");
        Objects.requireNonNull(publisherId, "publisherId");
    }

    /** Wall-clock time at which the message expires, or {@link Long#MAX_VALUE} when it never does. */
    public long expiresAtMillis() {
        Long interval = properties.messageExpiryInterval();
        return interval == null ? Long.MAX_VALUE : arrivalMillis + interval * 1000L;
    }

    /** Payload plus topic length: what a queue limit in bytes counts. */
    public int sizeBytes() {
        return payload.length + topic.length();
    }
}
