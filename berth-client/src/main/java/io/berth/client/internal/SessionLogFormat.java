package io.berth.client.internal;

import io.berth.client.Message;
import io.berth.client.MessageProperties;
import io.berth.client.store.SessionChange;
import io.berth.client.store.StoredSession;
import io.berth.codec.QoS;
import io.berth.codec.UserProperty;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;
import org.jspecify.annotations.Nullable;

/**
 * The byte format of {@link FileClientSessionStore}'s log. All integers are big-endian.
 *
 * <pre>
 * file    = header record* zero*
 * header  = 4 bytes magic "BCSL" (0x42 0x43 0x53 0x4C)
 *           1 byte  format version: 2 (1 = the same without record type 9)
 *           3 bytes zero (reserved)
 * record  = 4 bytes length L of body, 1 &lt;= L &lt;= 268,435,456 + 1,024
 *           4 bytes CRC-32C of body
 *           L bytes body
 * body    = 1 byte type, then by type:
 *   1 MessageAdded      8 bytes seq, 1 byte flags (bits 0-1 QoS, bit 2 retain),
 *                       2 bytes topic length T, T bytes UTF-8 topic,
 *                       4 bytes payload length P, P bytes payload
 *   2 PacketIdAssigned  8 bytes seq, 2 bytes packet identifier
 *   3 MessageReleased   8 bytes seq
 *   4 MessageRemoved    8 bytes seq
 *   5 MessageReset      8 bytes seq
 *   6 InboundReceived   2 bytes packet identifier
 *   7 InboundReleased   2 bytes packet identifier
 *   8 InboundCleared    nothing
 *   9 MessageAdded      8 bytes seq, 8 bytes time handed over (epoch ms),
 *     (with properties) 1 byte flags (bits 0-1 QoS, bit 2 retain),
 *                       2 bytes topic length T, T bytes UTF-8 topic,
 *                       4 bytes payload length P, P bytes payload,
 *                       properties
 * properties = 1 byte presence bits: bit 0 payload is UTF-8, bit 1 expiry, bit 2 content type,
 *                       bit 3 response topic, bit 4 correlation data
 *              [4 bytes message expiry interval, seconds, unsigned]   if bit 1
 *              [string content type]                                   if bit 2
 *              [string response topic]                                 if bit 3
 *              [2 bytes length C, C bytes correlation data]            if bit 4
 *              2 bytes user property count U, U times (string name, string value)
 * string     = 2 bytes length N, N bytes UTF-8
 * </pre>
 *
 * Version 2 writes MessageAdded as type 9 only. A version 1 log (types 1 to 8) is read as it is; the store
 * then sets its version byte to 2 before appending, so that a client that only knows version 1 refuses the
 * file instead of cutting it at the first type 9 record.
 *
 * A record is valid when its whole body is in the file, its CRC matches and its body parses with no byte
 * left over. Reading stops at the first record that is not valid: that is the torn tail of a write that a
 * crash interrupted (a group commit is one write), and the store truncates the file there unless only
 * zeros follow: those are room the store preallocated (a record's length is at least 1, so zeros never read
 * as one). Files of the same version with and without zeros at the end read alike; a client that predates
 * the zeros takes them for a torn tail and truncates them.
 *
 * <p>Threading: stateless.
 */
final class SessionLogFormat {
    static final byte[] MAGIC = {0x42, 0x43, 0x53, 0x4C};
    static final int VERSION = 2;
    /** The first version, still read: no record type 9. */
    static final int VERSION_1 = 1;
    /** Offset of the version byte in the header. */
    static final int VERSION_OFFSET = 4;

    static final int HEADER_SIZE = 8;
    static final int RECORD_OVERHEAD = 8;
    static final int MAX_BODY = 268_435_456 + 1_024;

    private static final int ADDED = 1;
    private static final int ASSIGNED = 2;
    private static final int RELEASED = 3;
    private static final int REMOVED = 4;
    private static final int RESET = 5;
    private static final int INBOUND_RECEIVED = 6;
    private static final int INBOUND_RELEASED = 7;
    private static final int INBOUND_CLEARED = 8;
    private static final int ADDED_WITH_PROPERTIES = 9;

    private static final int UTF8 = 1;
    private static final int EXPIRY = 2;
    private static final int CONTENT_TYPE = 4;
    private static final int RESPONSE_TOPIC = 8;
    private static final int CORRELATION = 16;
    private static final byte[] NO_TOPIC = new byte[0];

    private SessionLogFormat() {}

    static ByteBuffer header() {
        ByteBuffer b = ByteBuffer.allocate(HEADER_SIZE);
        b.put(MAGIC).put((byte) VERSION).put(new byte[3]).flip();
        return b;
    }

    /**
     * Writes a whole log holding {@code live} (header, then the records that rebuild it) into {@code out},
     * or into a larger buffer when it is full, and returns the buffer flipped for reading.
     */
    static ByteBuffer writeLog(StoredSession live, ByteBuffer out) {
        out.put(header());
        for (StoredSession.StoredMessage m : live.messages()) {
            out = writeRecord(new SessionChange.MessageAdded(m.seq(), m.message(), m.addedAtMillis()), out);
            if (m.packetId() != 0) {
                out = writeRecord(new SessionChange.PacketIdAssigned(m.seq(), m.packetId()), out);
            }
            if (m.released()) {
                out = writeRecord(new SessionChange.MessageReleased(m.seq()), out);
            }
        }
        for (int id : live.inboundPacketIds()) {
            out = writeRecord(new SessionChange.InboundReceived(id), out);
        }
        return out.flip();
    }

    /**
     * Appends one record (length, CRC, body) for {@code change} at the position of {@code out}, growing it
     * when it is too small; returns the buffer written to (a new, larger one, or {@code out}).
     */
    static ByteBuffer writeRecord(SessionChange change, ByteBuffer out) {
        // a message's topic is encoded once, for its size and its bytes (a copy of an ASCII topic's array)
        byte[] topic = change instanceof SessionChange.MessageAdded c
                ? c.message().topic().getBytes(StandardCharsets.UTF_8)
                : NO_TOPIC;
        int bodySize = bodySize(change, topic);
        ByteBuffer b = out;
        if (b.remaining() < RECORD_OVERHEAD + bodySize) {
            int capacity = Math.max(b.capacity() * 2, b.position() + RECORD_OVERHEAD + bodySize);
            b = ByteBuffer.allocateDirect(capacity);
            out.flip();
            b.put(out);
        }
        int start = b.position();
        b.position(start + RECORD_OVERHEAD);
        writeBody(change, topic, b);
        int end = b.position();
        CRC32C crc = new CRC32C();
        int limit = b.limit();
        b.position(start + RECORD_OVERHEAD).limit(end);
        crc.update(b); // over the body, leaving the position at its end: no view of the buffer to allocate
        b.limit(limit);
        b.putInt(start, end - start - RECORD_OVERHEAD).putInt(start + 4, (int) crc.getValue());
        return b;
    }

    private static int bodySize(SessionChange change, byte[] topic) {
        if (change instanceof SessionChange.MessageAdded c) {
            Message m = c.message();
            return 1 + 8 + 8 + 1 + 2 + topic.length + 4 + m.payload().length + propertiesSize(m.properties());
        } else if (change instanceof SessionChange.PacketIdAssigned) {
            return 1 + 8 + 2;
        } else if (change instanceof SessionChange.InboundReceived || change instanceof SessionChange.InboundReleased) {
            return 1 + 2;
        } else if (change instanceof SessionChange.InboundCleared) {
            return 1;
        }
        return 1 + 8; // released, removed, reset
    }

    private static void writeBody(SessionChange change, byte[] topic, ByteBuffer out) {
        if (change instanceof SessionChange.MessageAdded c) {
            Message m = c.message();
            out.put((byte) ADDED_WITH_PROPERTIES).putLong(c.seq()).putLong(c.addedAtMillis());
            out.put((byte) (m.qos().value() | (m.retain() ? 4 : 0)));
            out.putShort((short) topic.length).put(topic);
            out.putInt(m.payload().length).put(m.payload());
            writeProperties(m.properties(), out);
        } else if (change instanceof SessionChange.PacketIdAssigned c) {
            out.put((byte) ASSIGNED).putLong(c.seq()).putShort((short) c.packetId());
        } else if (change instanceof SessionChange.MessageReleased c) {
            out.put((byte) RELEASED).putLong(c.seq());
        } else if (change instanceof SessionChange.MessageRemoved c) {
            out.put((byte) REMOVED).putLong(c.seq());
        } else if (change instanceof SessionChange.MessageReset c) {
            out.put((byte) RESET).putLong(c.seq());
        } else if (change instanceof SessionChange.InboundReceived c) {
            out.put((byte) INBOUND_RECEIVED).putShort((short) c.packetId());
        } else if (change instanceof SessionChange.InboundReleased c) {
            out.put((byte) INBOUND_RELEASED).putShort((short) c.packetId());
        } else if (change instanceof SessionChange.InboundCleared) {
            out.put((byte) INBOUND_CLEARED);
        } else {
            throw new IllegalArgumentException("unknown change " + change);
        }
    }

    private static int propertiesSize(MessageProperties p) {
        int size = 1 + 2;
        if (p.messageExpiry() != null) {
            size += 4;
        }
        if (p.contentType() != null) {
            size += 2 + utf8Length(p.contentType());
        }
        if (p.responseTopic() != null) {
            size += 2 + utf8Length(p.responseTopic());
        }
        if (p.correlationData() != null) {
            size += 2 + p.correlationData().length;
        }
        for (UserProperty u : p.userProperties()) {
            size += 4 + utf8Length(u.name()) + utf8Length(u.value());
        }
        return size;
    }

    private static void writeProperties(MessageProperties p, ByteBuffer out) {
        int bits = (p.utf8Payload() ? UTF8 : 0)
                | (p.messageExpiry() != null ? EXPIRY : 0)
                | (p.contentType() != null ? CONTENT_TYPE : 0)
                | (p.responseTopic() != null ? RESPONSE_TOPIC : 0)
                | (p.correlationData() != null ? CORRELATION : 0);
        out.put((byte) bits);
        if (p.messageExpiry() != null) {
            out.putInt((int) p.messageExpiry().getSeconds());
        }
        if (p.contentType() != null) {
            putString(p.contentType(), out);
        }
        if (p.responseTopic() != null) {
            putString(p.responseTopic(), out);
        }
        if (p.correlationData() != null) {
            out.putShort((short) p.correlationData().length).put(p.correlationData());
        }
        out.putShort((short) p.userProperties().size());
        for (UserProperty u : p.userProperties()) {
            putString(u.name(), out);
            putString(u.value(), out);
        }
    }

    /**
     * The UTF-8 length of {@code s}, without encoding it; never less than the length {@code getBytes}
     * gives (an unpaired surrogate, which MQTT strings do not have, counts 2 and is encoded as 1).
     */
    static int utf8Length(String s) {
        int n = s.length();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x800) {
                n += Character.isSurrogate(c) ? 1 : 2; // a surrogate pair is 4 bytes: 2 chars of 2
            } else if (c >= 0x80) {
                n += 1;
            }
        }
        return n;
    }

    private static void putString(String s, ByteBuffer out) {
        int length = utf8Length(s);
        if (length == s.length()) {
            out.putShort((short) length);
            for (int i = 0; i < length; i++) {
                out.put((byte) s.charAt(i)); // ASCII: no array to encode into
            }
        } else {
            byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
            out.putShort((short) bytes.length).put(bytes);
        }
    }

    private static MessageProperties readProperties(ByteBuffer b) {
        int bits = b.get();
        Duration expiry = (bits & EXPIRY) != 0 ? Duration.ofSeconds(Integer.toUnsignedLong(b.getInt())) : null;
        String contentType = (bits & CONTENT_TYPE) != 0 ? readString(b) : null;
        String responseTopic = (bits & RESPONSE_TOPIC) != 0 ? readString(b) : null;
        byte[] correlation = (bits & CORRELATION) != 0 ? bytes(b, Short.toUnsignedInt(b.getShort())) : null;
        int count = Short.toUnsignedInt(b.getShort());
        List<UserProperty> user = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            user.add(new UserProperty(readString(b), readString(b)));
        }
        return new MessageProperties(
                (bits & UTF8) != 0, expiry, contentType, responseTopic, correlation, user, List.of());
    }

    private static String readString(ByteBuffer b) {
        return new String(bytes(b, Short.toUnsignedInt(b.getShort())), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(ByteBuffer b, int n) {
        byte[] a = new byte[n];
        b.get(a);
        return a;
    }

    /**
     * Reads the next record from {@code buf} (positioned at a record start). Returns null, leaving the
     * position where it was, when no valid record starts there.
     */
    static @Nullable SessionChange readRecord(ByteBuffer buf) {
        int start = buf.position();
        if (buf.remaining() < RECORD_OVERHEAD) {
            return null;
        }
        int length = buf.getInt();
        int expectedCrc = buf.getInt();
        if (length < 1 || length > MAX_BODY || length > buf.remaining()) {
            buf.position(start);
            return null;
        }
        ByteBuffer body = buf.slice();
        body.limit(length);
        CRC32C crc = new CRC32C();
        crc.update(body.duplicate());
        SessionChange change = null;
        if ((int) crc.getValue() == expectedCrc) {
            try {
                change = parse(body);
            } catch (RuntimeException e) {
                change = null;
            }
        }
        if (change == null || body.hasRemaining()) {
            buf.position(start);
            return null;
        }
        buf.position(start + RECORD_OVERHEAD + length);
        return change;
    }

    private static SessionChange parse(ByteBuffer b) {
        int type = b.get();
        return switch (type) {
            case ADDED -> {
                long seq = b.getLong();
                int flags = b.get();
                byte[] topic = new byte[Short.toUnsignedInt(b.getShort())];
                b.get(topic);
                byte[] payload = new byte[b.getInt()];
                b.get(payload);
                QoS qos = QoS.of(flags & 3);
                yield new SessionChange.MessageAdded(
                        seq, new Message(new String(topic, StandardCharsets.UTF_8), payload, qos, (flags & 4) != 0), 0);
            }
            case ADDED_WITH_PROPERTIES -> {
                long seq = b.getLong();
                long addedAt = b.getLong();
                int flags = b.get();
                String topic = readString(b);
                byte[] payload = bytes(b, b.getInt());
                MessageProperties properties = readProperties(b);
                yield new SessionChange.MessageAdded(
                        seq, new Message(topic, payload, QoS.of(flags & 3), (flags & 4) != 0, properties), addedAt);
            }
            case ASSIGNED -> new SessionChange.PacketIdAssigned(b.getLong(), Short.toUnsignedInt(b.getShort()));
            case RELEASED -> new SessionChange.MessageReleased(b.getLong());
            case REMOVED -> new SessionChange.MessageRemoved(b.getLong());
            case RESET -> new SessionChange.MessageReset(b.getLong());
            case INBOUND_RECEIVED -> new SessionChange.InboundReceived(Short.toUnsignedInt(b.getShort()));
            case INBOUND_RELEASED -> new SessionChange.InboundReleased(Short.toUnsignedInt(b.getShort()));
            case INBOUND_CLEARED -> new SessionChange.InboundCleared();
            default -> throw new IllegalArgumentException("unknown record type " + type);
        };
    }

    /** Whether {@code buf} holds only zeros from {@code from} to its limit (a log's preallocated room). */
    static boolean zerosFrom(ByteBuffer buf, int from) {
        for (int i = from; i < buf.limit(); i++) {
            if (buf.get(i) != 0) {
                return false;
            }
        }
        return true;
    }
}
