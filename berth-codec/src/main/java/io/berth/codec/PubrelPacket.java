package io.berth.codec;

import java.util.Objects;

/** PUBREL. On 3.1.1 only the packet identifier goes on the wire. */
public record PubrelPacket(int packetId, ReasonCode reasonCode, MqttProperties properties) implements MqttPacket {

    public PubrelPacket {
        PacketIds.require(packetId);
        Objects.requireNonNull(reasonCode, "reasonCode");
        Objects.requireNonNull(properties, "properties");
    }

    /** A successful PUBREL without properties. */
    public static PubrelPacket of(int packetId) {
        return new PubrelPacket(packetId, ReasonCode.SUCCESS, MqttProperties.EMPTY);
    }

    @Override
    public PacketType type() {
        return PacketType.PUBREL;
    }
}
