package io.berth.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Test helpers: bytes from literals, decoding through an {@link EmbeddedChannel}. */
final class Wire {
  static final int MAX = 1 << 20;

  /**
   * A minimal 3.1.1 CONNECT: protocol "MQTT" level 4, clean session, keep alive 60, empty client id.
   */
  static final byte[] CONNECT_V311 = bytes(
      0x10, 12, //             CONNECT, remaining length 12
      0, 4, 'M', 'Q', 'T', 'T', // protocol name
      4, //                    protocol level 4
      0x02, //                 flags: clean session
      0, 60, //                keep alive 60
      0, 0); //                client id ""

  /** A minimal 5.0 CONNECT: as {@link #CONNECT_V311} with level 5 and no properties. */
  static final byte[] CONNECT_V5 = bytes(
      0x10, 13, //             CONNECT, remaining length 13
      0, 4, 'M', 'Q', 'T', 'T', // protocol name
      5, //                    protocol level 5
      0x02, //                 flags: clean start
      0, 60, //                keep alive 60
      0, //                    property length 0
      0, 0); //                client id ""

  private Wire() {}

  static byte[] bytes(int... values) {
    byte[] b = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      b[i] = (byte) values[i];
    }
    return b;
  }

  static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    byte[] all = new byte[n];
    int i = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, all, i, p.length);
      i += p.length;
    }
    return all;
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Feeds each chunk as one read to the decoder and returns everything it emitted. */
  static List<Object> feed(MqttDecoder decoder, byte[]... chunks) {
    EmbeddedChannel channel = new EmbeddedChannel(decoder);
    try {
      for (byte[] chunk : chunks) {
        channel.writeInbound(Unpooled.wrappedBuffer(chunk));
      }
      List<Object> out = new ArrayList<>();
      Object o;
      while ((o = channel.readInbound()) != null) {
        out.add(o);
      }
      return out;
    } finally {
      channel.finishAndReleaseAll();
    }
  }

  /** The one thing a server decoder emits after a 3.1.1 CONNECT for {@code packet}. */
  static Object afterConnectV311(byte[] packet) {
    return afterConnect(CONNECT_V311, packet);
  }

  /** The one thing a server decoder emits after a 5.0 CONNECT for {@code packet}. */
  static Object afterConnectV5(byte[] packet) {
    return afterConnect(CONNECT_V5, packet);
  }

  private static Object afterConnect(byte[] connect, byte[] packet) {
    List<Object> out = feed(MqttDecoder.forServer(MAX), connect, packet);
    assertThat(out).hasSize(2);
    assertThat(out.get(0)).isInstanceOf(ConnectPacket.class);
    return out.get(1);
  }

  /** The one thing a fresh server decoder emits for {@code packet}. */
  static Object server(byte[] packet) {
    List<Object> out = feed(MqttDecoder.forServer(MAX), packet);
    assertThat(out).hasSize(1);
    return out.get(0);
  }

  /** The one thing a client decoder of {@code version} emits for {@code packet}. */
  static Object client(MqttVersion version, byte[] packet) {
    List<Object> out = feed(MqttDecoder.forClient(version, MAX), packet);
    assertThat(out).hasSize(1);
    return out.get(0);
  }

  /** The failure's reason code, after checking that {@code o} is a failure. */
  static ReasonCode failure(Object o) {
    assertThat(o).isInstanceOf(DecodeFailure.class);
    return ((DecodeFailure) o).reasonCode();
  }

  /** The bytes of the packet as our encoder writes them. */
  static byte[] encode(MqttPacket packet, MqttVersion version) {
    ByteBuf buf = MqttEncoder.encode(UnpooledByteBufAllocator.DEFAULT, packet, version);
    try {
      return ByteBufUtil.getBytes(buf);
    } finally {
      ReferenceCountUtil.release(buf);
    }
  }
}
