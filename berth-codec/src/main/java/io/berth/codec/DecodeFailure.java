package io.berth.codec;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What {@link MqttDecoder} emits instead of a packet when the input is malformed: the one reason code
 * that answers it (0x81 Malformed Packet, 0x82 Protocol Error, 0x95 Packet Too Large, 0x84 Unsupported
 * Protocol Version, ...) and a description for the log. After a failure the decoder discards all further
 * input of the channel. {@code version} is the connection's protocol version when it is known (null
 * before a CONNECT was understood), so the handler can choose between a DISCONNECT (5.0), a CONNACK with
 * the reason code (5.0 CONNECT) or a close (3.1.1).
 */
public record DecodeFailure(
        ReasonCode reasonCode, String description, @Nullable MqttVersion version, boolean inConnect) {
    public DecodeFailure {
        Objects.requireNonNull(reasonCode, "reasonCode");
        Objects.requireNonNull(description, "description");
    }
}
