package io.berth.codec;

import io.netty.buffer.ByteBuf;

/**
 * Bounded reads from the body of one packet (the bytes after the remaining length). Reading past the
 * end, an ill-formed string or an over-long variable byte integer is a Malformed Packet. The reader
 * never retains the buffer; strings and binary data are copied out.
 */
final class PacketReader {
  private final ByteBuf buf;
  private final int end;

  PacketReader(ByteBuf buf, int length) {
    this.buf = buf;
    this.end = buf.readerIndex() + length;
  }

  int remaining() {
    return end - buf.readerIndex();
  }

  boolean hasRemaining() {
    return buf.readerIndex() < end;
  }

  /** Fails unless every byte of the packet has been read. */
  void requireEnd(String what) {
    if (hasRemaining()) {
      throw DecodeException.malformed(remaining() + " unexpected bytes after " + what);
    }
  }

  int u8(String what) {
    require(1, what);
    return buf.readUnsignedByte();
  }

  int u16(String what) {
    require(2, what);
    return buf.readUnsignedShort();
  }

  long u32(String what) {
    require(4, what);
    return buf.readUnsignedInt();
  }

  /**
   * A packet identifier, which must not be 0 ([MQTT-2.2.1-3] on 5.0, [MQTT-2.3.1-1] on 3.1.1): a
   * Protocol Error.
   */
  int packetId(PacketType type) {
    int packetId = u16("packet identifier");
    if (packetId == 0) {
      throw DecodeException.protocolError(type + " with packet identifier 0");
    }
    return packetId;
  }

  /** A variable byte integer of at most four bytes; minimal encoding is not required. */
  int varInt(String what) {
    int value = 0;
    for (int i = 0; i < 4; i++) {
      int b = u8(what);
      value |= (b & 0x7F) << (7 * i);
      if ((b & 0x80) == 0) {
        return value;
      }
    }
    throw DecodeException.malformed(what + ": variable byte integer longer than 4 bytes");
  }

  /** A UTF-8 encoded string with a two-byte length prefix. */
  String utf8(String what) {
    int length = u16(what);
    require(length, what);
    String s = Utf8.decodeString(buf, buf.readerIndex(), length);
    if (s == null) {
      throw DecodeException.malformed(
          what + " is not well-formed UTF-8 or contains U+0000 (5.0 [MQTT-1.5.4-1] [MQTT-1.5.4-2],"
              + " 3.1.1 [MQTT-1.5.3-1] [MQTT-1.5.3-2])");
    }
    buf.skipBytes(length);
    return s;
  }

  /** Binary data with a two-byte length prefix. */
  byte[] binary(String what) {
    int length = u16(what);
    return bytes(length, what);
  }

  /** Everything that is left, e.g. the payload of a PUBLISH. */
  byte[] rest() {
    return bytes(remaining(), "payload");
  }

  /**
   * A reader limited to the next {@code length} bytes. It shares this reader's position: once it has
   * read all its bytes ({@link #requireEnd}), this reader continues after them.
   */
  PacketReader limit(int length, String what) {
    require(length, what);
    return new PacketReader(buf, length);
  }

  private byte[] bytes(int length, String what) {
    require(length, what);
    byte[] bytes = new byte[length];
    buf.readBytes(bytes);
    return bytes;
  }

  private void require(int n, String what) {
    if (remaining() < n) {
      throw DecodeException.malformed(what + ": needs " + n + " bytes, " + remaining() + " left");
    }
  }
}
