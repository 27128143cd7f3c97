package io.berth.codec;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * Strict UTF-8 for MQTT strings (section 1.5.4): well-formed per RFC 3629 (no overlong forms, no
 * surrogates U+D800..U+DFFF [MQTT-1.5.4-1], nothing above U+10FFFF) and, in strings, no U+0000
 * [MQTT-1.5.4-2]. Control characters U+0001..U+001F and U+007F..U+009F are allowed.
 */
final class Utf8 {
    private Utf8() {}

    /**
     * Decodes {@code length} bytes at {@code index} of {@code buf} as an MQTT UTF-8 string, or returns
     * null when they are not one.
     */
    static @Nullable String decodeString(ByteBuf buf, int index, int length) {
        int end = index + length;
        int i = index;
        while (i < end) {
            int b = buf.getByte(i);
            if (b > 0) {
                i++;
            } else if (b == 0) {
                return null;
            } else {
                i = skipSequence(buf, i, end, b & 0xFF);
                if (i < 0) {
                    return null;
                }
            }
        }
        return buf.toString(index, length, StandardCharsets.UTF_8);
    }

    /** True when {@code bytes} are well-formed UTF-8 (U+0000 allowed, as in a UTF-8 payload). */
    static boolean isWellFormed(byte[] bytes) {
        int i = 0;
        while (i < bytes.length) {
            int b = bytes[i] & 0xFF;
            if (b < 0x80) {
                i++;
                continue;
            }
            int n = sequenceLength(b);
            if (n == 0 || i + n > bytes.length || !secondByteOk(b, bytes[i + 1] & 0xFF)) {
                return false;
            }
            for (int k = 2; k < n; k++) {
                if (!isContinuation(bytes[i + k] & 0xFF)) {
                    return false;
                }
            }
            i += n;
        }
        return true;
    }

    /** The index after the multi-byte sequence starting at {@code i}, or -1 when it is ill-formed. */
    private static int skipSequence(ByteBuf buf, int i, int end, int lead) {
        int n = sequenceLength(lead);
        if (n == 0 || i + n > end || !secondByteOk(lead, buf.getUnsignedByte(i + 1))) {
            return -1;
        }
        for (int k = 2; k < n; k++) {
            if (!isContinuation(buf.getUnsignedByte(i + k))) {
                return -1;
            }
        }
        return i + n;
    }

    /** Bytes in the sequence for a lead byte of 0x80 or more; 0 when it cannot lead. */
    private static int sequenceLength(int lead) {
        if (lead >= 0xC2 && lead <= 0xDF) {
            return 2;
        }
        if (lead >= 0xE0 && lead <= 0xEF) {
            return 3;
        }
        if (lead >= 0xF0 && lead <= 0xF4) {
            return 4;
        }
        return 0;
    }

    /** The second byte's range depends on the lead byte (RFC 3629 section 4). */
    private static boolean secondByteOk(int lead, int second) {
        return switch (lead) {
            case 0xE0 -> second >= 0xA0 && second <= 0xBF; // no overlong 3-byte forms
            case 0xED -> second >= 0x80 && second <= 0x9F; // no surrogates
            case 0xF0 -> second >= 0x90 && second <= 0xBF; // no overlong 4-byte forms
            case 0xF4 -> second >= 0x80 && second <= 0x8F; // nothing above U+10FFFF
            default -> isContinuation(second);
        };
    }

    private static boolean isContinuation(int b) {
        return (b & 0xC0) == 0x80;
    }
}
