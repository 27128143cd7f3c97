package io.berth.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

/**
 * Where the encoder writes the MQTT data types (section 1.5): either counting bytes ({@link Counter}) or
 * into a buffer ({@link BufferWriter}). Each packet body is written by one method used for both, so the
 * size computed ahead can never disagree with the bytes written.
 */
abstract class WireWriter {
    /** Largest value of a variable byte integer (section 1.5.5). */
    static final int MAX_VARIABLE_BYTE_INTEGER = 268_435_455;

    /** Largest length of a UTF-8 string or binary data: a two-byte prefix. */
    static final int MAX_TWO_BYTE_LENGTH = 65_535;

    abstract void u8(int value);

    abstract void u16(int value);

    abstract void u32(long value);

    abstract void varInt(int value);

    abstract void utf8(String value);

    /** Binary data with its two-byte length. */
    abstract void binary(byte[] value);

    /** Bytes as they are, without a length. */
    abstract void raw(byte[] value);

    static int varIntSize(int value) {
        if (value < 0 || value > MAX_VARIABLE_BYTE_INTEGER) {
            throw new IllegalArgumentException("variable byte integer out of range: " + value);
        }
        return value < 128 ? 1 : value < 16_384 ? 2 : value < 2_097_152 ? 3 : 4;
    }

    /** Counts the bytes that would be written. */
    static final class Counter extends WireWriter {
        private int size;

        int size() {
            return size;
        }

        @Override
        void u8(int value) {
            size += 1;
        }

        @Override
        void u16(int value) {
            size += 2;
        }

        @Override
        void u32(long value) {
            size += 4;
        }

        @Override
        void varInt(int value) {
            size += varIntSize(value);
        }

        @Override
        void utf8(String value) {
            int length = ByteBufUtil.utf8Bytes(value);
            if (length > MAX_TWO_BYTE_LENGTH) {
                throw new IllegalArgumentException("UTF-8 string of " + length + " bytes is too long");
            }
            size += 2 + length;
        }

        @Override
        void binary(byte[] value) {
            if (value.length > MAX_TWO_BYTE_LENGTH) {
                throw new IllegalArgumentException("binary data of " + value.length + " bytes is too long");
            }
            size += 2 + value.length;
        }

        @Override
        void raw(byte[] value) {
            size += value.length;
        }
    }

    /** Writes into a buffer; the lengths were checked by a {@link Counter} pass before. */
    static final class BufferWriter extends WireWriter {
        private final ByteBuf buf;

        BufferWriter(ByteBuf buf) {
            this.buf = buf;
        }

        @Override
        void u8(int value) {
            buf.writeByte(value);
        }

        @Override
        void u16(int value) {
            buf.writeShort(value);
        }

        @Override
        void u32(long value) {
            buf.writeInt((int) value);
        }

        @Override
        void varInt(int value) {
            int v = value;
            do {
                int b = v & 0x7F;
                v >>>= 7;
                buf.writeByte(v > 0 ? b | 0x80 : b);
            } while (v > 0);
        }

        @Override
        void utf8(String value) {
            int lengthIndex = buf.writerIndex();
            buf.writeShort(0);
            int length = ByteBufUtil.writeUtf8(buf, value);
            buf.setShort(lengthIndex, length);
        }

        @Override
        void binary(byte[] value) {
            buf.writeShort(value.length);
            buf.writeBytes(value);
        }

        @Override
        void raw(byte[] value) {
            buf.writeBytes(value);
        }
    }
}
