package io.berth.codec;

/** PUBLISH (section 3.3). The topic alias is left to the broker, which keeps the alias map. */
final class PublishDecoder {
    private PublishDecoder() {}

    /**
     * Checks the fixed header flags, so that the decoder can reject them before the body arrives: QoS 3
     * [MQTT-3.3.1-4], and on 5.0 DUP on QoS 0 [MQTT-3.3.1-2] (tolerated on 3.1.1, where some clients send
     * it).
     */
    static void checkFlags(int flags, MqttVersion version) {
        QoS qos = QoS.fromValue((flags >> 1) & 0x03);
        if (qos == null) {
            throw DecodeException.malformed("PUBLISH with QoS 3 [MQTT-3.3.1-4]");
        }
        if (version.isV5() && (flags & 0x08) != 0 && qos == QoS.AT_MOST_ONCE) {
            throw DecodeException.malformed("DUP set on a QoS 0 PUBLISH [MQTT-3.3.1-2]");
        }
    }

    static PublishPacket read(int flags, PacketReader r, MqttVersion version, boolean fromClient) {
        checkFlags(flags, version);
        boolean v5 = version.isV5();
        boolean dup = (flags & 0x08) != 0;
        QoS qos = QoS.of((flags >> 1) & 0x03);
        boolean retain = (flags & 0x01) != 0;
        String topic = r.utf8("topic name");
        if (topic.indexOf('+') >= 0 || topic.indexOf('#') >= 0) {
            throw new DecodeException(
                    ReasonCode.TOPIC_NAME_INVALID, "wildcard in topic name '" + topic + "' [MQTT-3.3.2-2]");
        }
        int packetId = 0;
        if (qos != QoS.AT_MOST_ONCE) {
            packetId = r.packetId(PacketType.PUBLISH);
        }
        MqttProperties properties = v5 ? PropertiesDecoder.read(r, PropertyScope.PUBLISH) : MqttProperties.EMPTY;
        if (topic.isEmpty()) {
            if (!v5) {
                throw new DecodeException(ReasonCode.TOPIC_NAME_INVALID, "empty topic name [MQTT-4.7.3-1]");
            }
            if (properties.topicAlias() == null) {
                throw DecodeException.protocolError("empty topic name without topic alias");
            }
        }
        if (fromClient && !properties.subscriptionIdentifiers().isEmpty()) {
            throw DecodeException.protocolError("subscription identifier in PUBLISH from a client [MQTT-3.3.4-6]");
        }
        return new PublishPacket(topic, qos, retain, dup, packetId, r.rest(), properties);
    }
}
