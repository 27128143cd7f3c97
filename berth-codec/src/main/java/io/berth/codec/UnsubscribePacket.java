package io.berth.codec;

import java.util.List;
import java.util.Objects;

/** UNSUBSCRIBE. */
public record UnsubscribePacket(int packetId, List<String> filters, MqttProperties properties) implements MqttPacket {

    public UnsubscribePacket {
        PacketIds.require(packetId);
        filters = List.copyOf(filters);
        Objects.requireNonNull(properties, "properties");
    }

    @Override
    public PacketType type() {
        return PacketType.UNSUBSCRIBE;
    }
}
