package io.berth.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;

/**
 * Writes {@link MqttPacket} records in the connection's protocol version, for a server or a client.
 * Values that cannot be represented (a string over 65535 bytes, a packet over 268435455 bytes) throw
 * {@link IllegalArgumentException}: those are the sender's bugs, not the peer's.
 *
 * <p>Threading: one instance per channel, used on the channel's event loop only; the static methods have
 * no state and run anywhere.
 */
public final class MqttEncoder extends MessageToByteEncoder<MqttPacket> {
    private MqttVersion version;

    /** An encoder speaking 3.1.1 until told otherwise. */
    public MqttEncoder() {
        this(MqttVersion.V3_1_1);
    }

    public MqttEncoder(MqttVersion version) {
        super(MqttPacket.class);
        version(version);
    }

    public MqttVersion version() {
        return version;
    }

    /** Sets the version of the packets written from now on (a server learns it from the CONNECT). */
    public void version(MqttVersion version) {
        if (version == null) {
            throw new IllegalArgumentException("version is required");
        }
        this.version = version;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, MqttPacket packet, ByteBuf out) {
        write(packet, version, out);
    }

    /** The packet in a new buffer from {@code alloc}; the caller owns the buffer. */
    public static ByteBuf encode(ByteBufAllocator alloc, MqttPacket packet, MqttVersion version) {
        int remainingLength = remainingLength(packet, version);
        ByteBuf buf = alloc.buffer(1 + WireWriter.varIntSize(remainingLength) + remainingLength);
        try {
            writeFrame(packet, version, remainingLength, buf);
            return buf;
        } catch (RuntimeException e) {
            buf.release();
            throw e;
        }
    }

    /** The total bytes of the packet on the wire, fixed header included (for a Maximum Packet Size). */
    public static int encodedSize(MqttPacket packet, MqttVersion version) {
        int remainingLength = remainingLength(packet, version);
        return 1 + WireWriter.varIntSize(remainingLength) + remainingLength;
    }

    /**
     * Appends the packet to {@code out}, growing it as needed; throws {@link IllegalArgumentException}
     * before writing anything when the packet cannot be encoded.
     */
    public static void append(MqttPacket packet, MqttVersion version, ByteBuf out) {
        write(packet, version, out);
    }

    /** Appends the packet to {@code out}. */
    static void write(MqttPacket packet, MqttVersion version, ByteBuf out) {
        int remainingLength = remainingLength(packet, version);
        out.ensureWritable(1 + WireWriter.varIntSize(remainingLength) + remainingLength);
        writeFrame(packet, version, remainingLength, out);
    }

    private static int remainingLength(MqttPacket packet, MqttVersion version) {
        WireWriter.Counter counter = new WireWriter.Counter();
        PacketBodies.write(packet, version, counter);
        int size = counter.size();
        if (size > WireWriter.MAX_VARIABLE_BYTE_INTEGER) {
            throw new IllegalArgumentException(packet.type() + " too large: " + size + " bytes");
        }
        return size;
    }

    private static void writeFrame(MqttPacket packet, MqttVersion version, int remainingLength, ByteBuf out) {
        WireWriter w = new WireWriter.BufferWriter(out);
        w.u8(PacketBodies.firstByte(packet));
        w.varInt(remainingLength);
        int start = out.writerIndex();
        PacketBodies.write(packet, version, w);
        assert out.writerIndex() - start == remainingLength : "size and bytes disagree for " + packet.type();
    }
}
