package io.berth.codec;

import static io.berth.codec.Wire.bytes;
import static io.berth.codec.Wire.concat;
import static io.berth.codec.Wire.failure;
import static io.berth.codec.Wire.feed;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The fixed header: remaining length, maximum packet size, partial input, discarding after a failure. */
class FramingTest {

  @Test
  void severalPacketsInOneRead_allDecode() {
    List<Object> out = feed(MqttDecoder.forServer(Wire.MAX), concat(
        Wire.CONNECT_V311,
        bytes(0xC0, 0), //                PINGREQ
        bytes(0x30, 4, 0, 1, 't', 'x'), // PUBLISH "t" payload "x"
        bytes(0xE0, 0))); //              DISCONNECT
    assertThat(out).hasSize(4);
    assertThat(out.get(1)).isEqualTo(PingreqPacket.INSTANCE);
    assertThat(out.get(3)).isEqualTo(DisconnectPacket.NORMAL);
  }

  @Test
  void packetArrivingByteByByte_decodesOnce() {
    byte[] all = concat(Wire.CONNECT_V5, bytes(0x30, 5, 0, 1, 't', 0, 'x'));
    byte[][] chunks = new byte[all.length][];
    for (int i = 0; i < all.length; i++) {
      chunks[i] = new byte[] {all[i]};
    }
    List<Object> out = feed(MqttDecoder.forServer(Wire.MAX), chunks);
    assertThat(out).hasSize(2);
    assertThat(((PublishPacket) out.get(1)).payload()).containsExactly('x');
  }

  @Test
  void remainingLengthOfFourBytes_isAccepted() {
    // PINGREQ with remaining length 0 written in four bytes (not minimal, still allowed)
    List<Object> out = feed(MqttDecoder.forServer(Wire.MAX), Wire.CONNECT_V311, bytes(0xC0, 0x80, 0x80, 0x80, 0x00));
    assertThat(out).containsExactly(out.get(0), PingreqPacket.INSTANCE);
  }

  @Test
  @DisplayName("a remaining length of more than four bytes is malformed")
  void remainingLengthOfFiveBytes_malformed() {
    List<Object> out = feed(
        MqttDecoder.forServer(Wire.MAX), Wire.CONNECT_V311, bytes(0x30, 0xFF, 0xFF, 0xFF, 0xFF, 0x01));
    assertThat(failure(out.get(1))).isEqualTo(ReasonCode.MALFORMED_PACKET);
  }

  @Test
  void incompleteRemainingLength_waits() {
    assertThat(feed(MqttDecoder.forServer(Wire.MAX), Wire.CONNECT_V311, bytes(0x30, 0xFF, 0xFF))).hasSize(1);
  }

  @Test
  @DisplayName("a packet over the maximum size fails as soon as its length is known")
  void packetTooLarge_failsBeforeBuffering() {
    MqttDecoder decoder = MqttDecoder.forServer(100);
    List<Object> out = feed(decoder, Wire.CONNECT_V5, bytes(
        0x30, 0xFF, 0xFF, 0x03)); //      PUBLISH announcing 65535 bytes, none of which arrive
    DecodeFailure f = (DecodeFailure) out.get(1);
    assertThat(f.reasonCode()).isEqualTo(ReasonCode.PACKET_TOO_LARGE);
    assertThat(f.version()).isEqualTo(MqttVersion.V5);
    assertThat(f.inConnect()).isFalse();
  }

  @Test
  void packetTooLarge_countsTheFixedHeader() {
    // PUBLISH of 2 + 98 = 100 bytes fits a maximum of 100; 101 does not.
    byte[] body98 = new byte[98];
    body98[1] = 1; //                  topic length 1
    body98[2] = 't';
    MqttDecoder decoder = MqttDecoder.forServer(100);
    List<Object> out = feed(decoder, Wire.CONNECT_V311, concat(bytes(0x30, 98), body98));
    assertThat(out.get(1)).isInstanceOf(PublishPacket.class);
    decoder = MqttDecoder.forServer(99);
    out = feed(decoder, Wire.CONNECT_V311, concat(bytes(0x30, 98), body98));
    assertThat(failure(out.get(1))).isEqualTo(ReasonCode.PACKET_TOO_LARGE);
  }

  @Test
  void connectTooLarge_isInConnect() {
    DecodeFailure f = (DecodeFailure) feed(MqttDecoder.forServer(10), Wire.CONNECT_V5).get(0);
    assertThat(f.reasonCode()).isEqualTo(ReasonCode.PACKET_TOO_LARGE);
    assertThat(f.inConnect()).isTrue();
  }

  @Test
  void maxPacketSizeSetter_appliesToLaterPackets() {
    MqttDecoder decoder = MqttDecoder.forServer(Wire.MAX);
    EmbeddedChannel channel = new EmbeddedChannel(decoder);
    channel.writeInbound(Unpooled.wrappedBuffer(Wire.CONNECT_V5));
    decoder.maxPacketSize(5);
    channel.writeInbound(Unpooled.wrappedBuffer(bytes(0x30, 4, 0, 1, 't', 'x')));
    assertThat((Object) channel.readInbound()).isInstanceOf(ConnectPacket.class);
    assertThat(failure(channel.readInbound())).isEqualTo(ReasonCode.PACKET_TOO_LARGE);
    channel.finishAndReleaseAll();
  }

  @Test
  @DisplayName("after a failure, nothing more is emitted and the input is discarded")
  void afterFailure_inputIsDiscarded() {
    MqttDecoder decoder = MqttDecoder.forServer(Wire.MAX);
    EmbeddedChannel channel = new EmbeddedChannel(decoder);
    channel.writeInbound(Unpooled.wrappedBuffer(concat(
        Wire.CONNECT_V311,
        bytes(0x00, 0), //                reserved packet type 0
        bytes(0xC0, 0)))); //             a valid PINGREQ after it
    channel.writeInbound(Unpooled.wrappedBuffer(bytes(0xC0, 0)));
    assertThat((Object) channel.readInbound()).isInstanceOf(ConnectPacket.class);
    assertThat(failure(channel.readInbound())).isEqualTo(ReasonCode.MALFORMED_PACKET);
    assertThat((Object) channel.readInbound()).isNull();
    assertThat(decoder.hasFailed()).isTrue();
    assertThat(channel.finishAndReleaseAll()).isFalse();
  }

  @Test
  @DisplayName("[MQTT-3.3.1-4] PUBLISH QoS 3 fails on its first byte, before the body arrives")
  void publishQos3_failsBeforeBody() {
    List<Object> out = feed(MqttDecoder.forServer(Wire.MAX), Wire.CONNECT_V311, bytes(0x36, 100));
    assertThat(failure(out.get(1))).isEqualTo(ReasonCode.MALFORMED_PACKET);
  }

  @Test
  void reservedPacketType0_malformed() {
    assertThat(failure(Wire.client(MqttVersion.V5, bytes(0x00, 0)))).isEqualTo(ReasonCode.MALFORMED_PACKET);
  }

  @Test
  void channelClosedMidPacket_emitsNothing() {
    EmbeddedChannel channel = new EmbeddedChannel(MqttDecoder.forServer(Wire.MAX));
    channel.writeInbound(Unpooled.wrappedBuffer(bytes(0x10, 12, 0, 4)));
    assertThat(channel.finishAndReleaseAll()).isFalse();
  }

  @Test
  void clientDecoder_knowsItsVersion() {
    assertThat(MqttDecoder.forClient(MqttVersion.V5, 10).version()).isEqualTo(MqttVersion.V5);
    assertThat(MqttDecoder.forServer(10).version()).isNull();
  }
}
