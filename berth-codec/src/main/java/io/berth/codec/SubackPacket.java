package io.berth.codec;

import java.util.List;
import java.util.Objects;

/**
 * SUBACK, one reason code per filter. On 3.1.1 the encoder writes granted QoS 0..2 as is and every error
 * code as 0x80.
 */
public record SubackPacket(int packetId, List<ReasonCode> reasonCodes, MqttProperties properties)
        implements MqttPacket {

    public SubackPacket {
        PacketIds.require(packetId);
        reasonCodes = List.copyOf(reasonCodes);
        Objects.requireNonNull(properties, "properties");
    }

    @Override
    public PacketType type() {
        return PacketType.SUBACK;
    }
}
