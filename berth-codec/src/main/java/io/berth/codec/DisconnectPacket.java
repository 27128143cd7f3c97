package io.berth.codec;

import java.util.Objects;

/** DISCONNECT; on 3.1.1 it has no reason code (decoded as SUCCESS) and no properties. */
public record DisconnectPacket(ReasonCode reasonCode, MqttProperties properties) implements MqttPacket {

    public static final DisconnectPacket NORMAL = new DisconnectPacket(ReasonCode.SUCCESS, MqttProperties.EMPTY);

    public DisconnectPacket {
        Objects.requireNonNull(reasonCode, "reasonCode");
        Objects.requireNonNull(properties, "properties");
    }

    /** A DISCONNECT with a reason code and no properties. */
    public static DisconnectPacket of(ReasonCode reasonCode) {
        return new DisconnectPacket(reasonCode, MqttProperties.EMPTY);
    }

    @Override
    public PacketType type() {
        return PacketType.DISCONNECT;
    }
}
