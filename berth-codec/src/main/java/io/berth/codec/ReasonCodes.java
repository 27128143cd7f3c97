package io.berth.codec;

import java.util.Objects;

/**
 * Which MQTT 5.0 reason codes each packet type may carry (section 2.4 and each packet's reason code
 * table). A reason code byte outside its packet's table cannot be parsed: Malformed Packet.
 */
final class ReasonCodes {
    private static final int[] CONNACK = {
        0x00, 0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8A, 0x8C, 0x90, 0x95, 0x97, 0x99, 0x9A,
        0x9B, 0x9C, 0x9D, 0x9F
    };
    private static final int[] PUBACK = {0x00, 0x10, 0x80, 0x83, 0x87, 0x90, 0x91, 0x97, 0x99};
    private static final int[] PUBREL = {0x00, 0x92};
    private static final int[] SUBACK = {0x00, 0x01, 0x02, 0x80, 0x83, 0x87, 0x8F, 0x91, 0x97, 0x9E, 0xA1, 0xA2};
    private static final int[] UNSUBACK = {0x00, 0x11, 0x80, 0x83, 0x87, 0x8F, 0x91};
    private static final int[] DISCONNECT = {
        0x00, 0x04, 0x80, 0x81, 0x82, 0x83, 0x87, 0x89, 0x8B, 0x8D, 0x8E, 0x8F, 0x90, 0x93, 0x94, 0x95, 0x96, 0x97,
        0x98, 0x99, 0x9A, 0x9B, 0x9C, 0x9D, 0x9E, 0x9F, 0xA0, 0xA1, 0xA2
    };
    private static final int[] AUTH = {0x00, 0x18, 0x19};
    private static final int[] NONE = {};

    private ReasonCodes() {}

    /** Reads one reason code byte and checks it against the table of {@code type}. */
    static ReasonCode read(PacketReader r, PacketType type) {
        int code = r.u8("reason code");
        if (!allowed(type, code)) {
            throw DecodeException.malformed(
                    "reason code 0x" + Integer.toHexString(code) + " is not defined for " + type);
        }
        return Objects.requireNonNull(ReasonCode.fromCode(code), "allowed codes are defined");
    }

    static boolean allowed(PacketType type, int code) {
        int[] table = switch (type) {
            case CONNACK -> CONNACK;
            case PUBACK, PUBREC -> PUBACK;
            case PUBREL, PUBCOMP -> PUBREL;
            case SUBACK -> SUBACK;
            case UNSUBACK -> UNSUBACK;
            case DISCONNECT -> DISCONNECT;
            case AUTH -> AUTH;
            default -> NONE;
        };
        for (int c : table) {
            if (c == code) {
                return true;
            }
        }
        return false;
    }
}
