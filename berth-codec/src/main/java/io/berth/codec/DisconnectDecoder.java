package io.berth.codec;

/**
 * DISCONNECT and AUTH (sections 3.14 and 3.15): on 5.0 an optional reason code (absent = Success) and
 * optional properties; a 3.1.1 DISCONNECT is empty.
 */
final class DisconnectDecoder {
    private DisconnectDecoder() {}

    static DisconnectPacket readDisconnect(PacketReader r, MqttVersion version, boolean fromServer) {
        if (!version.isV5()) {
            r.requireEnd("DISCONNECT");
            return DisconnectPacket.NORMAL;
        }
        ReasonCode reasonCode = ReasonCode.SUCCESS;
        MqttProperties properties = MqttProperties.EMPTY;
        if (r.hasRemaining()) {
            reasonCode = ReasonCodes.read(r, PacketType.DISCONNECT);
            if (r.hasRemaining()) {
                properties = PropertiesDecoder.read(r, PropertyScope.DISCONNECT);
            }
        }
        r.requireEnd("DISCONNECT");
        if (fromServer && properties.sessionExpiryInterval() != null) {
            throw DecodeException.protocolError("session expiry interval in DISCONNECT from a server [MQTT-3.14.2-2]");
        }
        return new DisconnectPacket(reasonCode, properties);
    }

    static AuthPacket readAuth(PacketReader r) {
        ReasonCode reasonCode = ReasonCode.SUCCESS;
        MqttProperties properties = MqttProperties.EMPTY;
        if (r.hasRemaining()) {
            reasonCode = ReasonCodes.read(r, PacketType.AUTH);
            if (r.hasRemaining()) {
                properties = PropertiesDecoder.read(r, PropertyScope.AUTH);
            }
        }
        r.requireEnd("AUTH");
        return new AuthPacket(reasonCode, properties);
    }
}
