package io.berth.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every packet type, encoded by {@link MqttEncoder} and decoded by {@link MqttDecoder}, comes back equal. */
class RoundTripTest {

  @ParameterizedTest
  @EnumSource(MqttVersion.class)
  void clientPackets_throughEncoderAndServerDecoder_comeBackEqual(MqttVersion v) {
    List<MqttPacket> sent = Samples.fromClient(v);
    List<Object> received = throughChannels(sent, v, MqttDecoder.forServer(Wire.MAX));
    assertThat(received).usingRecursiveFieldByFieldElementComparator().isEqualTo(new ArrayList<Object>(sent));
  }

  @ParameterizedTest
  @EnumSource(MqttVersion.class)
  void serverPackets_throughEncoderAndClientDecoder_comeBackEqual(MqttVersion v) {
    List<MqttPacket> sent = Samples.fromServer(v);
    List<Object> received = throughChannels(sent, v, MqttDecoder.forClient(v, Wire.MAX));
    assertThat(received).usingRecursiveFieldByFieldElementComparator().isEqualTo(new ArrayList<Object>(sent));
  }

  @ParameterizedTest
  @EnumSource(MqttVersion.class)
  void encodedSize_isTheNumberOfBytesWritten(MqttVersion v) {
    List<MqttPacket> all = new ArrayList<>(Samples.fromClient(v));
    all.addAll(Samples.fromServer(v));
    for (MqttPacket p : all) {
      assertThat(Wire.encode(p, v)).as(p.type().name()).hasSize(MqttEncoder.encodedSize(p, v));
    }
  }

  /** Writes through an encoder channel and reads the bytes through a decoder channel. */
  private static List<Object> throughChannels(List<MqttPacket> packets, MqttVersion v, MqttDecoder decoder) {
    EmbeddedChannel out = new EmbeddedChannel(new MqttEncoder(v));
    EmbeddedChannel in = new EmbeddedChannel(decoder);
    for (MqttPacket p : packets) {
      assertThat(out.writeOutbound(p)).isTrue();
      ByteBuf buf;
      while ((buf = out.readOutbound()) != null) {
        in.writeInbound(buf);
      }
    }
    List<Object> received = new ArrayList<>();
    Object o;
    while ((o = in.readInbound()) != null) {
      received.add(o);
    }
    assertThat(out.finishAndReleaseAll()).isFalse();
    assertThat(in.finishAndReleaseAll()).isFalse();
    return received;
  }
}
