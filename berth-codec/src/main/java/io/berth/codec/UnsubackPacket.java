package io.berth.codec;

import java.util.List;
import java.util.Objects;

/** UNSUBACK; on 3.1.1 the reason codes are not sent and decode as an empty list. */
public record UnsubackPacket(int packetId, List<ReasonCode> reasonCodes, MqttProperties properties)
        implements MqttPacket {

    public UnsubackPacket {
        PacketIds.require(packetId);
        reasonCodes = List.copyOf(reasonCodes);
        Objects.requireNonNull(properties, "properties");
    }

    @Override
    public PacketType type() {
        return PacketType.UNSUBACK;
    }
}
