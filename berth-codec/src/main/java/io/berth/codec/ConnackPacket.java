package io.berth.codec;

import java.util.Objects;

/**
 * CONNACK. On 3.1.1 the encoder maps the reason code to a return code (0x80-range codes to 1..5) and drops
 * the properties.
 */
public record ConnackPacket(boolean sessionPresent, ReasonCode reasonCode, MqttProperties properties)
        implements MqttPacket {

    public ConnackPacket {
        Objects.requireNonNull(reasonCode, "reasonCode");
        Objects.requireNonNull(properties, "properties");
    }

    @Override
    public PacketType type() {
        return PacketType.CONNACK;
    }
}
