package io.berth.codec;

import static io.berth.codec.Wire.bytes;
import static io.berth.codec.Wire.encode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MqttEncoderTest {
  private static final MqttProperties REASON = MqttProperties.builder().reasonString("r").build();

  @Test
  void connectV311_matchesTheLiteralBytes() {
    ConnectPacket c = new ConnectPacket(MqttVersion.V3_1_1, "cid", true, 30, "u", new byte[] {'p', 'w'},
        new Will("a/b", new byte[] {'h', 'i'}, QoS.AT_LEAST_ONCE, true, MqttProperties.EMPTY), MqttProperties.EMPTY);
    assertThat(encode(c, MqttVersion.V3_1_1)).containsExactly(bytes(
        0x10, 31, 0, 4, 'M', 'Q', 'T', 'T', 4,
        0xEE, //                        user name, password, will retain, will QoS 1, will, clean session
        0, 30, 0, 3, 'c', 'i', 'd', 0, 3, 'a', '/', 'b', 0, 2, 'h', 'i', 0, 1, 'u', 0, 2, 'p', 'w'));
  }

  @Test
  void connect_writesItsOwnVersion() {
    ConnectPacket c = new ConnectPacket(MqttVersion.V3_1, "x", true, 60, null, null, null, MqttProperties.EMPTY);
    assertThat(encode(c, MqttVersion.V3_1_1)).containsExactly(bytes(
        0x10, 15, 0, 6, 'M', 'Q', 'I', 's', 'd', 'p', 3, 0x02, 0, 60, 0, 1, 'x'));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "SUCCESS, 0",
    "UNSUPPORTED_PROTOCOL_VERSION, 1",
    "CLIENT_IDENTIFIER_NOT_VALID, 2",
    "SERVER_UNAVAILABLE, 3",
    "SERVER_BUSY, 3",
    "BANNED, 3",
    "UNSPECIFIED_ERROR, 3",
    "BAD_USER_NAME_OR_PASSWORD, 4",
    "NOT_AUTHORIZED, 5"
  })
  void connackV311_mapsReasonCodeToReturnCode(ReasonCode rc, int returnCode) {
    ConnackPacket p = new ConnackPacket(false, rc, REASON);
    assertThat(encode(p, MqttVersion.V3_1_1)).containsExactly(bytes(0x20, 2, 0, returnCode));
  }

  @Test
  void connack_withErrorCode_clearsSessionPresent() {
    ConnackPacket p = new ConnackPacket(true, ReasonCode.NOT_AUTHORIZED, MqttProperties.EMPTY);
    assertThat(encode(p, MqttVersion.V3_1_1)).containsExactly(bytes(0x20, 2, 0, 5));
    assertThat(encode(p, MqttVersion.V5)).containsExactly(bytes(0x20, 3, 0, 0x87, 0));
  }

  @Test
  void subackV311_mapsReasonCodesToReturnCodes() {
    SubackPacket p = new SubackPacket(9, List.of(ReasonCode.SUCCESS, ReasonCode.GRANTED_QOS_1,
        ReasonCode.GRANTED_QOS_2, ReasonCode.NOT_AUTHORIZED, ReasonCode.TOPIC_FILTER_INVALID), REASON);
    assertThat(encode(p, MqttVersion.V3_1_1)).containsExactly(bytes(0x90, 7, 0, 9, 0, 1, 2, 0x80, 0x80));
  }

  @Test
  void v311_dropsPropertiesAndReasonCodes() {
    assertThat(encode(new PubackPacket(1, ReasonCode.NOT_AUTHORIZED, REASON), MqttVersion.V3_1_1))
        .containsExactly(bytes(0x40, 2, 0, 1));
    assertThat(encode(new PubrelPacket(1, ReasonCode.PACKET_IDENTIFIER_NOT_FOUND, REASON), MqttVersion.V3_1_1))
        .containsExactly(bytes(0x62, 2, 0, 1));
    assertThat(encode(DisconnectPacket.of(ReasonCode.SERVER_SHUTTING_DOWN), MqttVersion.V3_1_1))
        .containsExactly(bytes(0xE0, 0));
    assertThat(encode(new UnsubackPacket(2, List.of(ReasonCode.SUCCESS), REASON), MqttVersion.V3_1_1))
        .containsExactly(bytes(0xB0, 2, 0, 2));
    PublishPacket publish = new PublishPacket("t", QoS.AT_MOST_ONCE, false, false, 0, new byte[] {1}, REASON);
    assertThat(encode(publish, MqttVersion.V3_1_1)).containsExactly(bytes(0x30, 4, 0, 1, 't', 1));
  }

  @Test
  void v5_acks_useShortForms() {
    assertThat(encode(PubackPacket.of(1), MqttVersion.V5)).containsExactly(bytes(0x40, 2, 0, 1));
    assertThat(encode(new PubrecPacket(1, ReasonCode.QUOTA_EXCEEDED, MqttProperties.EMPTY), MqttVersion.V5))
        .containsExactly(bytes(0x50, 3, 0, 1, 0x97));
    assertThat(encode(new PubcompPacket(1, ReasonCode.SUCCESS, REASON), MqttVersion.V5))
        .containsExactly(bytes(0x70, 8, 0, 1, 0x00, 4, 0x1F, 0, 1, 'r'));
  }

  @Test
  void v5_disconnectAndAuth_useShortForms() {
    assertThat(encode(DisconnectPacket.NORMAL, MqttVersion.V5)).containsExactly(bytes(0xE0, 0));
    assertThat(encode(DisconnectPacket.of(ReasonCode.KEEP_ALIVE_TIMEOUT), MqttVersion.V5))
        .containsExactly(bytes(0xE0, 1, 0x8D));
    assertThat(encode(new DisconnectPacket(ReasonCode.SUCCESS, REASON), MqttVersion.V5))
        .containsExactly(bytes(0xE0, 6, 0x00, 4, 0x1F, 0, 1, 'r'));
    assertThat(encode(new AuthPacket(ReasonCode.SUCCESS, MqttProperties.EMPTY), MqttVersion.V5))
        .containsExactly(bytes(0xF0, 0));
  }

  @Test
  void v5_subscribe_writesOptions() {
    SubscribePacket p = new SubscribePacket(1, List.of(
        new TopicSubscription("x", QoS.AT_LEAST_ONCE, true, true, RetainHandling.DO_NOT_SEND)),
        MqttProperties.builder().subscriptionIdentifiers(List.of(128)).build());
    assertThat(encode(p, MqttVersion.V5)).containsExactly(bytes(
        0x82, 10, 0, 1,
        3, 0x0B, 0x80, 0x01, //          subscription identifier 128
        0, 1, 'x', 0x2D));
  }

  @Test
  void v311_subscribe_writesQosOnly() {
    SubscribePacket p = new SubscribePacket(1, List.of(
        new TopicSubscription("x", QoS.EXACTLY_ONCE, true, true, RetainHandling.DO_NOT_SEND)), MqttProperties.EMPTY);
    assertThat(encode(p, MqttVersion.V3_1_1)).containsExactly(bytes(0x82, 6, 0, 1, 0, 1, 'x', 0x02));
  }

  @Test
  void publish_flagsAndTwoByteRemainingLength() {
    PublishPacket p = new PublishPacket("t", QoS.EXACTLY_ONCE, true, true, 5, new byte[200], MqttProperties.EMPTY);
    byte[] b = encode(p, MqttVersion.V3_1_1);
    assertThat(b).startsWith(bytes(0x3D, 0xCD, 0x01, 0, 1, 't', 0, 5)); // 205 = 0xCD 0x01
    assertThat(b).hasSize(3 + 205);
    assertThat(MqttEncoder.encodedSize(p, MqttVersion.V3_1_1)).isEqualTo(208);
  }

  @Test
  void encodedSize_countsPropertiesOnlyOn5() {
    PublishPacket p = new PublishPacket("t", QoS.AT_MOST_ONCE, false, false, 0, new byte[0], REASON);
    assertThat(MqttEncoder.encodedSize(p, MqttVersion.V3_1_1)).isEqualTo(5);
    assertThat(MqttEncoder.encodedSize(p, MqttVersion.V5)).isEqualTo(10);
  }

  @Test
  void authOn311_isRejected() {
    assertThatThrownBy(() -> MqttEncoder.encodedSize(new AuthPacket(ReasonCode.SUCCESS, MqttProperties.EMPTY),
        MqttVersion.V3_1_1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void stringOver65535Bytes_isRejected() {
    PublishPacket p = new PublishPacket("é".repeat(40_000), QoS.AT_MOST_ONCE, false, false, 0, new byte[0],
        MqttProperties.EMPTY);
    assertThatThrownBy(() -> MqttEncoder.encodedSize(p, MqttVersion.V5)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void encoderInPipeline_followsItsVersion() {
    MqttEncoder encoder = new MqttEncoder();
    assertThat(encoder.version()).isEqualTo(MqttVersion.V3_1_1);
    EmbeddedChannel channel = new EmbeddedChannel(encoder);
    channel.writeOutbound(DisconnectPacket.of(ReasonCode.SERVER_BUSY));
    encoder.version(MqttVersion.V5);
    channel.writeOutbound(DisconnectPacket.of(ReasonCode.SERVER_BUSY));
    ByteBuf v3 = channel.readOutbound();
    ByteBuf v5 = channel.readOutbound();
    assertThat(ByteBufUtil.getBytes(v3)).containsExactly(bytes(0xE0, 0));
    assertThat(ByteBufUtil.getBytes(v5)).containsExactly(bytes(0xE0, 1, 0x89));
    v3.release();
    v5.release();
    assertThat(channel.finishAndReleaseAll()).isFalse();
  }
}
