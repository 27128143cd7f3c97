package io.berth.codec;

import java.util.ArrayList;
import java.util.List;

/**
 * SUBSCRIBE and UNSUBSCRIBE (sections 3.8 and 3.10). Topic filters are only checked to be UTF-8 strings:
 * an invalid filter is answered per filter in the SUBACK (0x8F on 5.0, 0x80 on 3.1.1) by the broker.
 */
final class SubscribeDecoder {
    private static final int V3_RESERVED_OPTIONS = 0xFC;
    private static final int V5_RESERVED_OPTIONS = 0xC0;
    private static final int NO_LOCAL = 0x04;
    private static final int RETAIN_AS_PUBLISHED = 0x08;
    private static final int RETAIN_HANDLING_SHIFT = 4;

    private SubscribeDecoder() {}

    static SubscribePacket readSubscribe(PacketReader r, MqttVersion version) {
        boolean v5 = version.isV5();
        int packetId = r.packetId(PacketType.SUBSCRIBE);
        MqttProperties properties = v5 ? PropertiesDecoder.read(r, PropertyScope.SUBSCRIBE) : MqttProperties.EMPTY;
        List<TopicSubscription> subscriptions = new ArrayList<>();
        while (r.hasRemaining()) {
            String filter = r.utf8("topic filter");
            int options = r.u8("subscription options");
            subscriptions.add(v5 ? v5Subscription(filter, options) : v3Subscription(filter, options));
        }
        if (subscriptions.isEmpty()) {
            throw noFilters(PacketType.SUBSCRIBE, v5, v5 ? "[MQTT-3.8.3-2]" : "[MQTT-3.8.3-3]");
        }
        return new SubscribePacket(packetId, subscriptions, properties);
    }

    static UnsubscribePacket readUnsubscribe(PacketReader r, MqttVersion version) {
        boolean v5 = version.isV5();
        int packetId = r.packetId(PacketType.UNSUBSCRIBE);
        MqttProperties properties = v5 ? PropertiesDecoder.read(r, PropertyScope.UNSUBSCRIBE) : MqttProperties.EMPTY;
        List<String> filters = new ArrayList<>();
        while (r.hasRemaining()) {
            filters.add(r.utf8("topic filter"));
        }
        if (filters.isEmpty()) {
            throw noFilters(PacketType.UNSUBSCRIBE, v5, "[MQTT-3.10.3-2]");
        }
        return new UnsubscribePacket(packetId, filters, properties);
    }

    private static TopicSubscription v3Subscription(String filter, int options) {
        if ((options & V3_RESERVED_OPTIONS) != 0) {
            throw DecodeException.malformed("reserved bits set in requested QoS [MQTT-3-8.3-4]");
        }
        QoS qos = QoS.fromValue(options);
        if (qos == null) {
            throw DecodeException.malformed("requested QoS 3 [MQTT-3-8.3-4]");
        }
        return TopicSubscription.of(filter, qos);
    }

    private static TopicSubscription v5Subscription(String filter, int options) {
        if ((options & V5_RESERVED_OPTIONS) != 0) {
            throw DecodeException.malformed("reserved bits set in subscription options [MQTT-3.8.3-5]");
        }
        QoS qos = QoS.fromValue(options & 0x03);
        if (qos == null) {
            throw DecodeException.protocolError("maximum QoS 3 in subscription options");
        }
        RetainHandling retainHandling = RetainHandling.fromValue((options >> RETAIN_HANDLING_SHIFT) & 0x03);
        if (retainHandling == null) {
            throw DecodeException.protocolError("retain handling 3 in subscription options");
        }
        boolean noLocal = (options & NO_LOCAL) != 0;
        if (noLocal && Topics.isShared(filter)) {
            throw DecodeException.protocolError("no local on shared subscription [MQTT-3.8.3-4]");
        }
        return new TopicSubscription(filter, qos, noLocal, (options & RETAIN_AS_PUBLISHED) != 0, retainHandling);
    }

    private static DecodeException noFilters(PacketType type, boolean v5, String statement) {
        String message = type + " without topic filter " + statement;
        return v5 ? DecodeException.protocolError(message) : DecodeException.malformed(message);
    }
}
