package io.berth.codec;

import java.util.Objects;

/** The will message of a CONNECT; {@code properties} are the will properties (5.0). */
public record Will(String topic, byte[] payload, QoS qos, boolean retain, MqttProperties properties) {
    public Will {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(qos, "qos");
        Objects.requireNonNull(properties, "properties");
    }
}
