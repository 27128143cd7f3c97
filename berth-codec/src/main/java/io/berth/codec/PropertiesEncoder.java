package io.berth.codec;

import org.jspecify.annotations.Nullable;

/**
 * Writes an MQTT 5.0 property list: its length, then each present property in identifier order. It
 * writes what it is given; which properties a packet may carry is the sender's business.
 */
final class PropertiesEncoder {
    private PropertiesEncoder() {}

    static void write(WireWriter w, MqttProperties p) {
        if (p.isEmpty()) {
            w.varInt(0);
            return;
        }
        WireWriter.Counter counter = new WireWriter.Counter();
        writeAll(counter, p);
        w.varInt(counter.size());
        writeAll(w, p);
    }

    private static void writeAll(WireWriter w, MqttProperties p) {
        u8(w, Property.PAYLOAD_FORMAT_INDICATOR, p.payloadFormatIndicator());
        u32(w, Property.MESSAGE_EXPIRY_INTERVAL, p.messageExpiryInterval());
        utf8(w, Property.CONTENT_TYPE, p.contentType());
        utf8(w, Property.RESPONSE_TOPIC, p.responseTopic());
        binary(w, Property.CORRELATION_DATA, p.correlationData());
        for (int id : p.subscriptionIdentifiers()) {
            w.varInt(Property.SUBSCRIPTION_IDENTIFIER.id());
            w.varInt(id);
        }
        u32(w, Property.SESSION_EXPIRY_INTERVAL, p.sessionExpiryInterval());
        utf8(w, Property.ASSIGNED_CLIENT_IDENTIFIER, p.assignedClientIdentifier());
        u16(w, Property.SERVER_KEEP_ALIVE, p.serverKeepAlive());
        utf8(w, Property.AUTHENTICATION_METHOD, p.authenticationMethod());
        binary(w, Property.AUTHENTICATION_DATA, p.authenticationData());
        u8(w, Property.REQUEST_PROBLEM_INFORMATION, p.requestProblemInformation());
        u32(w, Property.WILL_DELAY_INTERVAL, p.willDelayInterval());
        u8(w, Property.REQUEST_RESPONSE_INFORMATION, p.requestResponseInformation());
        utf8(w, Property.RESPONSE_INFORMATION, p.responseInformation());
        utf8(w, Property.SERVER_REFERENCE, p.serverReference());
        utf8(w, Property.REASON_STRING, p.reasonString());
        u16(w, Property.RECEIVE_MAXIMUM, p.receiveMaximum());
        u16(w, Property.TOPIC_ALIAS_MAXIMUM, p.topicAliasMaximum());
        u16(w, Property.TOPIC_ALIAS, p.topicAlias());
        u8(w, Property.MAXIMUM_QOS, p.maximumQos());
        u8(w, Property.RETAIN_AVAILABLE, p.retainAvailable());
        for (UserProperty up : p.userProperties()) {
            w.varInt(Property.USER_PROPERTY.id());
            w.utf8(up.name());
            w.utf8(up.value());
        }
        u32(w, Property.MAXIMUM_PACKET_SIZE, p.maximumPacketSize());
        u8(w, Property.WILDCARD_SUBSCRIPTION_AVAILABLE, p.wildcardSubscriptionAvailable());
        u8(w, Property.SUBSCRIPTION_IDENTIFIER_AVAILABLE, p.subscriptionIdentifierAvailable());
        u8(w, Property.SHARED_SUBSCRIPTION_AVAILABLE, p.sharedSubscriptionAvailable());
    }

    private static void u8(WireWriter w, Property p, @Nullable Integer value) {
        if (value != null) {
            w.varInt(p.id());
            w.u8(value);
        }
    }

    private static void u16(WireWriter w, Property p, @Nullable Integer value) {
        if (value != null) {
            w.varInt(p.id());
            w.u16(value);
        }
    }

    private static void u32(WireWriter w, Property p, @Nullable Long value) {
        if (value != null) {
            w.varInt(p.id());
            w.u32(value);
        }
    }

    private static void utf8(WireWriter w, Property p, @Nullable String value) {
        if (value != null) {
            w.varInt(p.id());
            w.utf8(value);
        }
    }

    private static void binary(WireWriter w, Property p, byte @Nullable [] value) {
        if (value != null) {
            w.varInt(p.id());
            w.binary(value);
        }
    }
}
