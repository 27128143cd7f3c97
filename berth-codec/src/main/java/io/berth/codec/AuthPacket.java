package io.berth.codec;

import java.util.Objects;

/** AUTH (5.0 only). */
public record AuthPacket(ReasonCode reasonCode, MqttProperties properties) implements MqttPacket {
    public AuthPacket {
        Objects.requireNonNull(reasonCode, "reasonCode");
        Objects.requireNonNull(properties, "properties");
    }

    @Override
    public PacketType type() {
        return PacketType.AUTH;
    }
}
