package io.berth.broker.store.rocksdb;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Appends the primitives of the storage format to a growing byte array: fixed-width integers are
 * big-endian, {@code varint} is unsigned LEB128 (7 bits per byte, low group first, high bit set on every
 * byte but the last), strings are a varint byte count followed by UTF-8, byte strings a varint count
 * followed by the bytes. See {@code docs/storage-format.md}.
 *
 * <p>Threading: confined to the thread that created it.
 */
final class ByteWriter {
    private byte[] buf;
    private int size;

    ByteWriter(int capacity) {
        buf = new byte[Math.max(16, capacity)];
    }

    private void ensure(int more) {
        if (size + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
        }
    }

    ByteWriter u8(int v) {
        ensure(1);
        buf[size++] = (byte) v;
        return this;
    }

    ByteWriter u16(int v) {
        if (v < 0 || v > 0xFFFF) {
            throw new IllegalArgumentException("not an unsigned 16-bit value: " + v);
        }
        ensure(2);
        buf[size++] = (byte) (v >>> 8);
        buf[size++] = (byte) v;
        return this;
    }

    ByteWriter u32(long v) {
        if (v < 0 || v > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("not an unsigned 32-bit value: " + v);
        }
        ensure(4);
        for (int shift = 24; shift >= 0; shift -= 8) {
            buf[size++] = (byte) (v >>> shift);
        }
        return this;
    }

    ByteWriter u64(long v) {
        ensure(8);
        for (int shift = 56; shift >= 0; shift -= 8) {
            buf[size++] = (byte) (v >>> shift);
        }
        return this;
    }

    ByteWriter varint(long v) {
        if (v < 0) {
            throw new IllegalArgumentException("varint must not be negative: " + v);
        }
        ensure(10);
        while (v >= 0x80) {
            buf[size++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[size++] = (byte) v;
        return this;
    }

    ByteWriter bytes(byte[] b) {
        varint(b.length);
        return raw(b);
    }

    ByteWriter string(String s) {
        return bytes(s.getBytes(StandardCharsets.UTF_8));
    }

    ByteWriter raw(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, buf, size, b.length);
        size += b.length;
        return this;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }
}
