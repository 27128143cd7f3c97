package io.berth.broker.protocol;

import io.berth.codec.MqttDecoder;
import io.berth.codec.MqttEncoder;
import io.berth.codec.MqttPacket;
import io.berth.codec.MqttVersion;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;

/**
 * A blocking MQTT client on a plain socket for wire tests: sends literal bytes or packets encoded by the
 * codec, and reads the broker's packets one at a time with the client-side decoder.
 *
 * <p>Threading: the test's thread only.
 */
final class RawClient implements AutoCloseable {
  private final Socket socket;
  private final MqttVersion version;
  private final EmbeddedChannel decoder;

  RawClient(int port, MqttVersion version) throws IOException {
    this.socket = new Socket("127.0.0.1", port);
    this.socket.setSoTimeout(5_000);
    this.version = version;
    this.decoder = new EmbeddedChannel(MqttDecoder.forClient(version, 1 << 20));
  }

  /** Sends literal bytes, written as ints (0x00..0xFF) or chars for readability. */
  void send(int... bytes) throws IOException {
    byte[] out = new byte[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      out[i] = (byte) bytes[i];
    }
    write(out);
  }

  private void write(byte[] bytes) throws IOException {
    socket.getOutputStream().write(bytes);
    socket.getOutputStream().flush();
  }

  void send(MqttPacket packet) throws IOException {
    ByteBuf buf = MqttEncoder.encode(ByteBufAllocator.DEFAULT, packet, version);
    try {
      write(ByteBufUtil.getBytes(buf));
    } finally {
      buf.release();
    }
  }

  /** The next packet from the broker; fails after the socket timeout. */
  MqttPacket receive() throws IOException {
    InputStream in = socket.getInputStream();
    byte[] chunk = new byte[4096];
    while (true) {
      Object decoded = decoder.readInbound();
      if (decoded != null) {
        return (MqttPacket) decoded;
      }
      int n = in.read(chunk);
      if (n < 0) {
        throw new EOFException("broker closed the connection");
      }
      decoder.writeInbound(Unpooled.copiedBuffer(chunk, 0, n));
    }
  }

  @SuppressWarnings("unchecked")
  <T extends MqttPacket> T receive(Class<T> type) throws IOException {
    MqttPacket p = receive();
    if (!type.isInstance(p)) {
      throw new AssertionError("expected " + type.getSimpleName() + ", received " + p);
    }
    return (T) p;
  }

  @Override
  public void close() throws IOException {
    socket.close();
    decoder.finishAndReleaseAll();
  }
}
