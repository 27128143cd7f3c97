package io.berth.codec;

import java.util.Objects;

/** PUBACK. On 3.1.1 only the packet identifier goes on the wire. */
public record PubackPacket(int packetId, ReasonCode reasonCode, MqttProperties properties) implements MqttPacket {

    public PubackPacket {
        PacketIds.require(packetId);
        Objects.requireNonNull(reasonCode, "reasonCode");
        Objects.requireNonNull(properties, "properties");
    }

    /** A successful PUBACK without properties. */
    public static PubackPacket of(int packetId) {
        return new PubackPacket(packetId, ReasonCode.SUCCESS, MqttProperties.EMPTY);
    }

    @Override
    public PacketType type() {
        return PacketType.PUBACK;
    }
}
