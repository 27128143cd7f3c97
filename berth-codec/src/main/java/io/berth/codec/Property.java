package io.berth.codec;

import static io.berth.codec.PropertyScope.AUTH;
import static io.berth.codec.PropertyScope.CONNACK;
import static io.berth.codec.PropertyScope.CONNECT;
import static io.berth.codec.PropertyScope.DISCONNECT;
import static io.berth.codec.PropertyScope.PUBACK;
import static io.berth.codec.PropertyScope.PUBLISH;
import static io.berth.codec.PropertyScope.SUBACK;
import static io.berth.codec.PropertyScope.SUBSCRIBE;
import static io.berth.codec.PropertyScope.UNSUBACK;
import static io.berth.codec.PropertyScope.UNSUBSCRIBE;
import static io.berth.codec.PropertyScope.WILL;

import java.util.EnumSet;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** The MQTT 5.0 properties: identifier, wire type and where each may appear (section 2.2.2.2). */
enum Property {
    PAYLOAD_FORMAT_INDICATOR(0x01, Type.BYTE, PUBLISH, WILL),
    MESSAGE_EXPIRY_INTERVAL(0x02, Type.FOUR_BYTE_INTEGER, PUBLISH, WILL),
    CONTENT_TYPE(0x03, Type.UTF8_STRING, PUBLISH, WILL),
    RESPONSE_TOPIC(0x08, Type.UTF8_STRING, PUBLISH, WILL),
    CORRELATION_DATA(0x09, Type.BINARY, PUBLISH, WILL),
    SUBSCRIPTION_IDENTIFIER(0x0B, Type.VARIABLE_BYTE_INTEGER, PUBLISH, SUBSCRIBE),
    SESSION_EXPIRY_INTERVAL(0x11, Type.FOUR_BYTE_INTEGER, CONNECT, CONNACK, DISCONNECT),
    ASSIGNED_CLIENT_IDENTIFIER(0x12, Type.UTF8_STRING, CONNACK),
    SERVER_KEEP_ALIVE(0x13, Type.TWO_BYTE_INTEGER, CONNACK),
    AUTHENTICATION_METHOD(0x15, Type.UTF8_STRING, CONNECT, CONNACK, AUTH),
    AUTHENTICATION_DATA(0x16, Type.BINARY, CONNECT, CONNACK, AUTH),
    REQUEST_PROBLEM_INFORMATION(0x17, Type.BYTE, CONNECT),
    WILL_DELAY_INTERVAL(0x18, Type.FOUR_BYTE_INTEGER, WILL),
    REQUEST_RESPONSE_INFORMATION(0x19, Type.BYTE, CONNECT),
    RESPONSE_INFORMATION(0x1A, Type.UTF8_STRING, CONNACK),
    SERVER_REFERENCE(0x1C, Type.UTF8_STRING, CONNACK, DISCONNECT),
    REASON_STRING(0x1F, Type.UTF8_STRING, CONNACK, PUBACK, SUBACK, UNSUBACK, DISCONNECT, AUTH),
    RECEIVE_MAXIMUM(0x21, Type.TWO_BYTE_INTEGER, CONNECT, CONNACK),
    TOPIC_ALIAS_MAXIMUM(0x22, Type.TWO_BYTE_INTEGER, CONNECT, CONNACK),
    TOPIC_ALIAS(0x23, Type.TWO_BYTE_INTEGER, PUBLISH),
    MAXIMUM_QOS(0x24, Type.BYTE, CONNACK),
    RETAIN_AVAILABLE(0x25, Type.BYTE, CONNACK),
    USER_PROPERTY(
            0x26,
            Type.UTF8_STRING_PAIR,
            CONNECT,
            CONNACK,
            PUBLISH,
            PUBACK,
            SUBSCRIBE,
            SUBACK,
            UNSUBSCRIBE,
            UNSUBACK,
            DISCONNECT,
            AUTH,
            WILL),
    MAXIMUM_PACKET_SIZE(0x27, Type.FOUR_BYTE_INTEGER, CONNECT, CONNACK),
    WILDCARD_SUBSCRIPTION_AVAILABLE(0x28, Type.BYTE, CONNACK),
    SUBSCRIPTION_IDENTIFIER_AVAILABLE(0x29, Type.BYTE, CONNACK),
    SHARED_SUBSCRIPTION_AVAILABLE(0x2A, Type.BYTE, CONNACK);

    /** Wire data types of section 1.5. */
    enum Type {
        BYTE,
        TWO_BYTE_INTEGER,
        FOUR_BYTE_INTEGER,
        VARIABLE_BYTE_INTEGER,
        UTF8_STRING,
        BINARY,
        UTF8_STRING_PAIR
    }

    private static final Property[] BY_ID = new Property[0x2B];

    static {
        for (Property p : values()) {
            BY_ID[p.id] = p;
        }
    }

    private final int id;
    private final Type type;
    private final Set<PropertyScope> scopes;

    Property(int id, Type type, PropertyScope first, PropertyScope... rest) {
        this.id = id;
        this.type = type;
        this.scopes = EnumSet.of(first, rest);
    }

    int id() {
        return id;
    }

    Type type() {
        return type;
    }

    boolean allowedIn(PropertyScope scope) {
        return scopes.contains(scope);
    }

    /** The property with this identifier, or null when none is defined. */
    static @Nullable Property fromId(int id) {
        return id >= 0 && id < BY_ID.length ? BY_ID[id] : null;
    }
}
