package io.berth.codec;

import java.util.Objects;

/** PUBCOMP. On 3.1.1 only the packet identifier goes on the wire. */
public record PubcompPacket(int packetId, ReasonCode reasonCode, MqttProperties properties) implements MqttPacket {

    public PubcompPacket {
        PacketIds.require(packetId);
        Objects.requireNonNull(reasonCode, "reasonCode");
        Objects.requireNonNull(properties, "properties");
    }

    /** A successful PUBCOMP without properties. */
    public static PubcompPacket of(int packetId) {
        return new PubcompPacket(packetId, ReasonCode.SUCCESS, MqttProperties.EMPTY);
    }

    @Override
    public PacketType type() {
        return PacketType.PUBCOMP;
    }
}
