package io.berth.codec;

import java.util.ArrayList;
import java.util.List;

/** CONNACK, SUBACK and UNSUBACK, the acknowledgements only a server sends (sections 3.2, 3.9, 3.11). */
final class ServerAckDecoder {
    /** CONNACK return codes of 3.1.1, by value 0..5. */
    private static final ReasonCode[] V3_CONNACK = {
        ReasonCode.SUCCESS,
        ReasonCode.UNSUPPORTED_PROTOCOL_VERSION,
        ReasonCode.CLIENT_IDENTIFIER_NOT_VALID,
        ReasonCode.SERVER_UNAVAILABLE,
        ReasonCode.BAD_USER_NAME_OR_PASSWORD,
        ReasonCode.NOT_AUTHORIZED
    };

    private ServerAckDecoder() {}

    static ConnackPacket readConnack(PacketReader r, MqttVersion version) {
        int flags = r.u8("connect acknowledge flags");
        if ((flags & 0xFE) != 0) {
            throw DecodeException.malformed("reserved connect acknowledge flags are set");
        }
        boolean sessionPresent = flags == 1;
        ReasonCode reasonCode;
        MqttProperties properties = MqttProperties.EMPTY;
        if (version.isV5()) {
            reasonCode = ReasonCodes.read(r, PacketType.CONNACK);
            properties = PropertiesDecoder.read(r, PropertyScope.CONNACK);
        } else {
            int code = r.u8("connect return code");
            if (code >= V3_CONNACK.length) {
                throw DecodeException.malformed("connect return code " + code);
            }
            reasonCode = V3_CONNACK[code];
        }
        r.requireEnd("CONNACK");
        if (sessionPresent && reasonCode.isError()) {
            throw DecodeException.protocolError("session present with an error code [MQTT-3.2.2-6]");
        }
        return new ConnackPacket(sessionPresent, reasonCode, properties);
    }

    static SubackPacket readSuback(PacketReader r, MqttVersion version) {
        boolean v5 = version.isV5();
        int packetId = r.packetId(PacketType.SUBACK);
        MqttProperties properties = v5 ? PropertiesDecoder.read(r, PropertyScope.SUBACK) : MqttProperties.EMPTY;
        List<ReasonCode> codes = new ArrayList<>();
        while (r.hasRemaining()) {
            codes.add(v5 ? ReasonCodes.read(r, PacketType.SUBACK) : v3SubackCode(r.u8("return code")));
        }
        if (codes.isEmpty()) {
            throw DecodeException.protocolError("SUBACK without return codes");
        }
        return new SubackPacket(packetId, codes, properties);
    }

    static UnsubackPacket readUnsuback(PacketReader r, MqttVersion version) {
        int packetId = r.packetId(PacketType.UNSUBACK);
        if (!version.isV5()) {
            r.requireEnd("UNSUBACK");
            return new UnsubackPacket(packetId, List.of(), MqttProperties.EMPTY);
        }
        MqttProperties properties = PropertiesDecoder.read(r, PropertyScope.UNSUBACK);
        List<ReasonCode> codes = new ArrayList<>();
        while (r.hasRemaining()) {
            codes.add(ReasonCodes.read(r, PacketType.UNSUBACK));
        }
        if (codes.isEmpty()) {
            throw DecodeException.protocolError("UNSUBACK without reason codes");
        }
        return new UnsubackPacket(packetId, codes, properties);
    }

    private static ReasonCode v3SubackCode(int code) {
        return switch (code) {
            case 0x00 -> ReasonCode.SUCCESS;
            case 0x01 -> ReasonCode.GRANTED_QOS_1;
            case 0x02 -> ReasonCode.GRANTED_QOS_2;
            case 0x80 -> ReasonCode.UNSPECIFIED_ERROR;
            default -> throw DecodeException.malformed("SUBACK return code 0x" + Integer.toHexString(code));
        };
    }
}
