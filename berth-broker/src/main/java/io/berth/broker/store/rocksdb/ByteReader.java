package io.berth.broker.store.rocksdb;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads what {@link ByteWriter} wrote. Every read is bounds-checked: a value that ends early or has
 * bytes left over throws {@link IllegalArgumentException}, which the store turns into a
 * {@link CorruptStoreException} naming the column family and key.
 *
 * <p>Threading: confined to the thread that created it.
 */
final class ByteReader {
  private final byte[] buf;
  private int pos;

  ByteReader(byte[] buf) {
    this(buf, 0);
  }

  ByteReader(byte[] buf, int offset) {
    this.buf = buf;
    this.pos = offset;
  }

  private void need(int n) {
    if (n < 0 || pos + n > buf.length) {
      throw new IllegalArgumentException(
          "value ends early: needs " + n + " bytes at offset " + pos + " of " + buf.length);
    }
  }

  int u8() {
    need(1);
    return buf[pos++] & 0xFF;
  }

  int u16() {
    need(2);
    int v = ((buf[pos] & 0xFF) << 8) | (buf[pos + 1] & 0xFF);
    pos += 2;
    return v;
  }

  long u32() {
    need(4);
    long v = 0;
    for (int i = 0; i < 4; i++) {
      v = (v << 8) | (buf[pos++] & 0xFF);
    }
    return v;
  }

  long u64() {
    need(8);
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (buf[pos++] & 0xFF);
    }
    return v;
  }

  long varint() {
    long v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      int b = u8();
      v |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        if (v < 0) {
          throw new IllegalArgumentException("varint out of range at offset " + pos);
        }
        return v;
      }
    }
    throw new IllegalArgumentException("varint longer than 10 bytes at offset " + pos);
  }

  int varint32() {
    long v = varint();
    if (v > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("length out of range: " + v);
    }
    return (int) v;
  }

  byte[] bytes() {
    int n = varint32();
    need(n);
    byte[] b = Arrays.copyOfRange(buf, pos, pos + n);
    pos += n;
    return b;
  }

  String string() {
    int n = varint32();
    need(n);
    String s = new String(buf, pos, n, StandardCharsets.UTF_8);
    pos += n;
    return s;
  }

  boolean flag(int b, int bit) {
    return (b & (1 << bit)) != 0;
  }

  int position() {
    return pos;
  }

  /** Throws unless every byte was read. */
  void end() {
    if (pos != buf.length) {
      throw new IllegalArgumentException((buf.length - pos) + " unexpected bytes at the end of a value");
    }
  }
}
