package io.berth.client.internal;

import io.berth.client.Message;
import io.berth.client.store.SessionChange;
import io.berth.codec.QoS;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * The byte format of {@link FileClientSessionStore}'s log. All integers are big-endian.
 *
 * <pre>
 * file    = header record*
 * header  = 4 bytes magic "BCSL" (0x42 0x43 0x53 0x4C)
 *           1 byte  format version, 1
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
 * </pre>
 *
 * A record is valid when its whole body is in the file, its CRC matches and its body parses with no byte
 * left over. Reading stops at the first record that is not valid: that is the torn tail of a write that a
 * crash interrupted (a group commit is one write), and the store truncates the file there.
 *
 * <p>Threading: stateless.
 */
final class SessionLogFormat {
  static final byte[] MAGIC = {0x42, 0x43, 0x53, 0x4C};
  static final int VERSION = 1;
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

  private SessionLogFormat() {}

  static ByteBuffer header() {
    ByteBuffer b = ByteBuffer.allocate(HEADER_SIZE);
    b.put(MAGIC).put((byte) VERSION).put(new byte[3]).flip();
    return b;
  }

  /** Appends one record (length, CRC, body) for {@code change} to {@code out}. */
  static void writeRecord(SessionChange change, ByteArrayOutputStream out) {
    byte[] body = body(change);
    CRC32C crc = new CRC32C();
    crc.update(body);
    ByteBuffer head = ByteBuffer.allocate(RECORD_OVERHEAD);
    head.putInt(body.length).putInt((int) crc.getValue());
    out.write(head.array(), 0, RECORD_OVERHEAD);
    out.write(body, 0, body.length);
  }

  private static byte[] body(SessionChange change) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(32);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      if (change instanceof SessionChange.MessageAdded c) {
        Message m = c.message();
        byte[] topic = m.topic().getBytes(StandardCharsets.UTF_8);
        out.writeByte(ADDED);
        out.writeLong(c.seq());
        out.writeByte(m.qos().value() | (m.retain() ? 4 : 0));
        out.writeShort(topic.length);
        out.write(topic);
        out.writeInt(m.payload().length);
        out.write(m.payload());
      } else if (change instanceof SessionChange.PacketIdAssigned c) {
        out.writeByte(ASSIGNED);
        out.writeLong(c.seq());
        out.writeShort(c.packetId());
      } else if (change instanceof SessionChange.MessageReleased c) {
        out.writeByte(RELEASED);
        out.writeLong(c.seq());
      } else if (change instanceof SessionChange.MessageRemoved c) {
        out.writeByte(REMOVED);
        out.writeLong(c.seq());
      } else if (change instanceof SessionChange.MessageReset c) {
        out.writeByte(RESET);
        out.writeLong(c.seq());
      } else if (change instanceof SessionChange.InboundReceived c) {
        out.writeByte(INBOUND_RECEIVED);
        out.writeShort(c.packetId());
      } else if (change instanceof SessionChange.InboundReleased c) {
        out.writeByte(INBOUND_RELEASED);
        out.writeShort(c.packetId());
      } else if (change instanceof SessionChange.InboundCleared) {
        out.writeByte(INBOUND_CLEARED);
      } else {
        throw new IllegalArgumentException("unknown change " + change);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /**
   * Reads the next record from {@code buf} (positioned at a record start). Returns null, leaving the
   * position where it was, when no valid record starts there.
   */
  static SessionChange readRecord(ByteBuffer buf) {
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
        QoS qos = QoS.fromValue(flags & 3);
        yield new SessionChange.MessageAdded(
            seq, new Message(new String(topic, StandardCharsets.UTF_8), payload, qos, (flags & 4) != 0));
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
}
