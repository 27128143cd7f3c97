package io.berth.codec;

import java.util.Objects;

/** PUBREC. On 3.1.1 only the packet identifier goes on the wire. */
public record PubrecPacket(int packetId, ReasonCode reasonCode, MqttProperties properties) implements MqttPacket {

    public PubrecPacket {
        PacketIds.require(packetId);
        Objects.requireNonNull(reasonCode, "reasonCode");
        Objects.requireNonNull(properties, "properties");
    }

    /** A successful PUBREC without properties. */
    public static PubrecPacket of(int packetId) {
        return new PubrecPacket(packetId, ReasonCode.SUCCESS, MqttProperties.EMPTY);
    }

    @Override
    public PacketType type() {
        return PacketType.PUBREC;
    }
}
