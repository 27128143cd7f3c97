package io.berth.codec;

import org.jspecify.annotations.Nullable;

/** Control packet types with their wire value (section 2.1.2). */
public enum PacketType {
    CONNECT(1),
    CONNACK(2),
    PUBLISH(3),
    PUBACK(4),
    PUBREC(5),
    PUBREL(6),
    PUBCOMP(7),
    SUBSCRIBE(8),
    SUBACK(9),
    UNSUBSCRIBE(10),
    UNSUBACK(11),
    PINGREQ(12),
    PINGRESP(13),
    DISCONNECT(14),
    AUTH(15);

    /** {@link #values()} copies its array at each call: the decoder looks up every packet's type here. */
    private static final PacketType[] BY_VALUE = values();

    private final int value;

    PacketType(int value) {
        this.value = value;
    }

    public int value() {
        return value;
    }

    /** The type for a wire value, or null for 0 (reserved). */
    public static @Nullable PacketType fromValue(int value) {
        return value >= 1 && value <= 15 ? BY_VALUE[value - 1] : null;
    }
}
