package io.berth.codec;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns bytes into {@link MqttPacket} records, strictly: whatever the specification calls malformed or a
 * protocol error at the packet level becomes exactly one {@link DecodeFailure}, after which the decoder
 * discards all further input of the channel. Nothing throws out of {@link #decode}.
 *
 * <p>Frames on the remaining length and checks the packet size against {@link #maxPacketSize()} before it
 * buffers the body. Each packet type has its own small reader; their errors all end in {@link #fail}.
 * Payloads are copied into byte arrays, so no buffer escapes the decoder.
 *
 * <p>A server decoder expects CONNECT first [MQTT-3.1.0-1] and learns the protocol version from it (as
 * soon as the protocol level is read, so a 5.0 CONNECT that fails later still reports version 5.0); a
 * client decoder is given the version. Packets that only the other side may send are a protocol error.
 * A failure's {@link DecodeFailure#inConnect()} is true when a server decoder fails before a CONNECT has
 * been decoded, i.e. when the answer is a CONNACK rather than a DISCONNECT.
 *
 * <p>Left to the broker, because they depend on connection state or are answered per item: topic alias
 * mappings, topic filter syntax (SUBACK 0x8F / 0x80), a PUBLISH payload that contradicts its format
 * indicator ({@link PublishPacket#isPayloadFormatValid()}), a second CONNECT [MQTT-3.1.0-2], client
 * identifier rules, authentication method consistency, and a DISCONNECT session expiry after a CONNECT
 * with none.
 *
 * <p>Threading: one instance per channel, used on the channel's event loop only; plain fields.
 */
public final class MqttDecoder extends ByteToMessageDecoder {
    private static final Logger LOG = LoggerFactory.getLogger(MqttDecoder.class);

    /** Bytes of the remaining length field at most (section 2.1.4). */
    private static final int MAX_REMAINING_LENGTH_BYTES = 4;

    private final boolean server;
    private int maxPacketSize;
    private @Nullable MqttVersion version;
    private boolean connectDecoded;
    private boolean failed;

    private MqttDecoder(boolean server, @Nullable MqttVersion version, int maxPacketSize) {
        this.server = server;
        this.version = version;
        maxPacketSize(maxPacketSize);
    }

    /** A decoder for a broker's connection: CONNECT first, version learnt from it. */
    public static MqttDecoder forServer(int maxPacketSize) {
        return new MqttDecoder(true, null, maxPacketSize);
    }

    /** A decoder for a client's connection, speaking {@code version}. */
    public static MqttDecoder forClient(MqttVersion version, int maxPacketSize) {
        if (version == null) {
            throw new IllegalArgumentException("version is required");
        }
        return new MqttDecoder(false, version, maxPacketSize);
    }

    /** The protocol version, or null while a server decoder has not read a CONNECT's protocol level. */
    public @Nullable MqttVersion version() {
        return version;
    }

    /** The largest packet accepted, in bytes including the fixed header. */
    public int maxPacketSize() {
        return maxPacketSize;
    }

    /** Sets the largest packet accepted, in bytes including the fixed header. */
    public void maxPacketSize(int maxPacketSize) {
        if (maxPacketSize < 2) {
            throw new IllegalArgumentException("maximum packet size below 2: " + maxPacketSize);
        }
        this.maxPacketSize = maxPacketSize;
    }

    /** True once a {@link DecodeFailure} has been emitted. */
    public boolean hasFailed() {
        return failed;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (!in.isReadable()) {
            return;
        }
        try {
            MqttPacket packet = decodePacket(in);
            if (packet != null) {
                out.add(packet);
            }
        } catch (DecodeException e) {
            out.add(fail(e.reasonCode(), e.getMessage(), in));
        } catch (RuntimeException e) {
            // A bug in a packet reader must not escape either: it still ends the connection cleanly.
            LOG.warn("internal error while decoding", e);
            out.add(fail(ReasonCode.IMPLEMENTATION_SPECIFIC_ERROR, "internal error: " + e, in));
        }
    }

    private DecodeFailure fail(ReasonCode reasonCode, String description, ByteBuf in) {
        failed = true;
        in.skipBytes(in.readableBytes());
        boolean inConnect = server && !connectDecoded;
        LOG.debug("decode failure {} ({}): {}", reasonCode, version, description);
        return new DecodeFailure(reasonCode, description, version, inConnect);
    }

    /** One packet, or null when more bytes are needed. */
    private @Nullable MqttPacket decodePacket(ByteBuf in) {
        int start = in.readerIndex();
        int first = in.getUnsignedByte(start);
        PacketType type = checkFirstByte(first);
        int remainingLength = 0;
        int index = start + 1;
        for (int i = 0; ; i++) {
            if (index >= in.writerIndex()) {
                return null;
            }
            int b = in.getUnsignedByte(index++);
            remainingLength |= (b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0) {
                break;
            }
            if (i == MAX_REMAINING_LENGTH_BYTES - 1) {
                throw DecodeException.malformed("remaining length longer than 4 bytes");
            }
        }
        long packetSize = (long) (index - start) + remainingLength;
        if (packetSize > maxPacketSize) {
            throw new DecodeException(
                    ReasonCode.PACKET_TOO_LARGE,
                    type + " of " + packetSize + " bytes exceeds the maximum packet size " + maxPacketSize);
        }
        if (in.writerIndex() - start < packetSize) {
            return null;
        }
        in.readerIndex(index);
        PacketReader r = new PacketReader(in, remainingLength);
        MqttPacket packet = readBody(type, first & 0x0F, r);
        r.requireEnd(type.name());
        return packet;
    }

    /** Checks type and flags as soon as the first byte is there, before any buffering. */
    private PacketType checkFirstByte(int first) {
        PacketType type = PacketType.fromValue(first >> 4);
        int flags = first & 0x0F;
        if (type == null || (type == PacketType.AUTH && version != null && !version.isV5())) {
            throw DecodeException.malformed("reserved packet type " + (first >> 4));
        }
        if (server && !connectDecoded && type != PacketType.CONNECT) {
            throw DecodeException.protocolError("first packet is " + type + ", not CONNECT [MQTT-3.1.0-1]");
        }
        if (!(server ? sentByClient(type) : sentByServer(type))) {
            throw DecodeException.protocolError(type + " must not be sent to a " + (server ? "server" : "client"));
        }
        int required = switch (type) {
            case PUBREL, SUBSCRIBE, UNSUBSCRIBE -> 0x02;
            default -> 0x00;
        };
        if (type == PacketType.PUBLISH) {
            PublishDecoder.checkFlags(flags, knownVersion());
        } else if (flags != required) {
            throw DecodeException.malformed("reserved flags of " + type + " are " + flags + ", must be " + required
                    + (version == null || version.isV5() ? " [MQTT-2.1.3-1]" : " [MQTT-2.2.2-2]"));
        }
        return type;
    }

    private MqttPacket readBody(PacketType type, int flags, PacketReader r) {
        return switch (type) {
            case CONNECT -> readConnect(r);
            case CONNACK -> ServerAckDecoder.readConnack(r, knownVersion());
            case PUBLISH -> PublishDecoder.read(flags, r, knownVersion(), server);
            case PUBACK, PUBREC, PUBREL, PUBCOMP -> AckDecoder.read(type, r, knownVersion());
            case SUBSCRIBE -> SubscribeDecoder.readSubscribe(r, knownVersion());
            case SUBACK -> ServerAckDecoder.readSuback(r, knownVersion());
            case UNSUBSCRIBE -> SubscribeDecoder.readUnsubscribe(r, knownVersion());
            case UNSUBACK -> ServerAckDecoder.readUnsuback(r, knownVersion());
            case PINGREQ -> PingreqPacket.INSTANCE;
            case PINGRESP -> PingrespPacket.INSTANCE;
            case DISCONNECT -> DisconnectDecoder.readDisconnect(r, knownVersion(), !server);
            case AUTH -> DisconnectDecoder.readAuth(r);
        };
    }

    /** The version once a CONNECT's protocol level was read, which is before any other packet is read. */
    private MqttVersion knownVersion() {
        if (version == null) {
            throw new IllegalStateException("protocol version not known yet");
        }
        return version;
    }

    /**
     * The first CONNECT sets the connection's version as soon as its protocol level is read; a later
     * CONNECT is decoded with its own version and left to the broker to reject [MQTT-3.1.0-2].
     */
    private ConnectPacket readConnect(PacketReader r) {
        MqttVersion connectVersion = ConnectDecoder.readVersion(r);
        if (!connectDecoded) {
            version = connectVersion;
        }
        ConnectPacket connect = ConnectDecoder.readRest(r, connectVersion);
        connectDecoded = true;
        return connect;
    }

    private static boolean sentByClient(PacketType type) {
        return switch (type) {
            case CONNACK, SUBACK, UNSUBACK, PINGRESP -> false;
            default -> true;
        };
    }

    private static boolean sentByServer(PacketType type) {
        return switch (type) {
            case CONNECT, SUBSCRIBE, UNSUBSCRIBE, PINGREQ -> false;
            default -> true;
        };
    }
}
