package io.berth.codec;

/**
 * PUBACK, PUBREC, PUBREL and PUBCOMP (sections 3.4 to 3.7): a packet identifier, then on 5.0 an optional
 * reason code (absent = Success) and optional properties.
 */
final class AckDecoder {
    private AckDecoder() {}

    static MqttPacket read(PacketType type, PacketReader r, MqttVersion version) {
        int packetId = r.packetId(type);
        ReasonCode reasonCode = ReasonCode.SUCCESS;
        MqttProperties properties = MqttProperties.EMPTY;
        if (version.isV5() && r.hasRemaining()) {
            reasonCode = ReasonCodes.read(r, type);
            if (r.hasRemaining()) {
                properties = PropertiesDecoder.read(r, PropertyScope.PUBACK);
            }
        }
        r.requireEnd(type.name());
        return switch (type) {
            case PUBACK -> new PubackPacket(packetId, reasonCode, properties);
            case PUBREC -> new PubrecPacket(packetId, reasonCode, properties);
            case PUBREL -> new PubrelPacket(packetId, reasonCode, properties);
            case PUBCOMP -> new PubcompPacket(packetId, reasonCode, properties);
            default -> throw new IllegalArgumentException(type.name());
        };
    }
}
