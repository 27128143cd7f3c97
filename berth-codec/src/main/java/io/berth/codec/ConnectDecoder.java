package io.berth.codec;

/**
 * CONNECT (section 3.1). Read in two steps so that the decoder learns the protocol version before the
 * rest can fail: a 5.0 client whose CONNECT is malformed still gets a 5.0 CONNACK with a reason code.
 */
final class ConnectDecoder {
    private static final int RESERVED = 0x01;
    private static final int CLEAN_START = 0x02;
    private static final int WILL = 0x04;
    private static final int WILL_QOS_SHIFT = 3;
    private static final int WILL_RETAIN = 0x20;
    private static final int PASSWORD = 0x40;
    private static final int USER_NAME = 0x80;

    private ConnectDecoder() {}

    /** Reads the protocol name and level [MQTT-3.1.2-1] [MQTT-3.1.2-2]. */
    static MqttVersion readVersion(PacketReader r) {
        String name = r.utf8("protocol name");
        int level = r.u8("protocol level");
        if (!name.equals("MQTT") && !name.equals("MQIsdp")) {
            throw DecodeException.protocolError("unknown protocol name '" + name + "' [MQTT-3.1.2-1]");
        }
        MqttVersion version = MqttVersion.fromLevel(level);
        if (version == null || !version.protocolName().equals(name)) {
            throw new DecodeException(
                    ReasonCode.UNSUPPORTED_PROTOCOL_VERSION,
                    "unsupported protocol " + name + " level " + level + " [MQTT-3.1.2-2]");
        }
        return version;
    }

    /** Reads what follows the protocol level. */
    static ConnectPacket readRest(PacketReader r, MqttVersion version) {
        boolean v5 = version.isV5();
        int flags = r.u8("connect flags");
        if ((flags & RESERVED) != 0) {
            throw DecodeException.malformed("reserved connect flag is set [MQTT-3.1.2-3]");
        }
        boolean willFlag = (flags & WILL) != 0;
        int willQos = (flags >> WILL_QOS_SHIFT) & 0x03;
        boolean willRetain = (flags & WILL_RETAIN) != 0;
        boolean hasUserName = (flags & USER_NAME) != 0;
        boolean hasPassword = (flags & PASSWORD) != 0;
        if (!willFlag && willQos != 0) {
            throw DecodeException.malformed(
                    "will QoS without will flag " + (v5 ? "[MQTT-3.1.2-11]" : "[MQTT-3.1.2-13]"));
        }
        if (!willFlag && willRetain) {
            throw DecodeException.malformed(
                    "will retain without will flag " + (v5 ? "[MQTT-3.1.2-13]" : "[MQTT-3.1.2-15]"));
        }
        if (willQos == 3) {
            throw DecodeException.malformed("will QoS 3 " + (v5 ? "[MQTT-3.1.2-12]" : "[MQTT-3.1.2-14]"));
        }
        if (!v5 && hasPassword && !hasUserName) {
            throw DecodeException.malformed("password without user name [MQTT-3.1.2-22]");
        }
        int keepAlive = r.u16("keep alive");
        MqttProperties properties = v5 ? PropertiesDecoder.read(r, PropertyScope.CONNECT) : MqttProperties.EMPTY;
        String clientId = r.utf8("client identifier");
        Will will = willFlag ? readWill(r, v5, QoS.of(willQos), willRetain) : null;
        String userName = hasUserName ? r.utf8("user name") : null;
        byte[] password = hasPassword ? r.binary("password") : null;
        r.requireEnd("CONNECT payload");
        return new ConnectPacket(
                version, clientId, (flags & CLEAN_START) != 0, keepAlive, userName, password, will, properties);
    }

    private static Will readWill(PacketReader r, boolean v5, QoS qos, boolean retain) {
        MqttProperties properties = v5 ? PropertiesDecoder.read(r, PropertyScope.WILL) : MqttProperties.EMPTY;
        String topic = r.utf8("will topic");
        if (!Topics.isValidTopicName(topic)) {
            throw new DecodeException(ReasonCode.TOPIC_NAME_INVALID, "invalid will topic '" + topic + "'");
        }
        byte[] payload = r.binary("will payload");
        Integer format = properties.payloadFormatIndicator();
        if (format != null && format == 1 && !Utf8.isWellFormed(payload)) {
            throw new DecodeException(
                    ReasonCode.PAYLOAD_FORMAT_INVALID, "will payload is not UTF-8 as its format says");
        }
        return new Will(topic, payload, qos, retain, properties);
    }
}
