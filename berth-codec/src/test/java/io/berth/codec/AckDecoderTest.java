package io.berth.codec;

import static io.berth.codec.Wire.afterConnectV311;
import static io.berth.codec.Wire.afterConnectV5;
import static io.berth.codec.Wire.bytes;
import static io.berth.codec.Wire.client;
import static io.berth.codec.Wire.failure;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** PUBACK, PUBREC, PUBREL and PUBCOMP. */
class AckDecoderTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource({"PUBACK, 0x40", "PUBREC, 0x50", "PUBREL, 0x62", "PUBCOMP, 0x70"})
  void v311_packetIdOnly_decodes(PacketType type, String first) {
    MqttPacket p = (MqttPacket) afterConnectV311(bytes(
        Integer.decode(first), 2, // fixed header, remaining length 2
        0x01, 0x02)); //            packet id 258
    assertThat(p.type()).isEqualTo(type);
    assertThat(p).hasFieldOrPropertyWithValue("packetId", 258)
        .hasFieldOrPropertyWithValue("reasonCode", ReasonCode.SUCCESS)
        .hasFieldOrPropertyWithValue("properties", MqttProperties.EMPTY);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"PUBACK, 0x40", "PUBREC, 0x50", "PUBREL, 0x62", "PUBCOMP, 0x70"})
  void v311_reasonCodeByte_malformed(PacketType type, String first) {
    assertThat(failure(afterConnectV311(bytes(Integer.decode(first), 3, 0, 1, 0))))
        .isEqualTo(ReasonCode.MALFORMED_PACKET);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"PUBACK, 0x40", "PUBREC, 0x50", "PUBREL, 0x62", "PUBCOMP, 0x70"})
  void v5_remainingLength2_isSuccessWithoutProperties(PacketType type, String first) {
    MqttPacket p = (MqttPacket) afterConnectV5(bytes(Integer.decode(first), 2, 0, 9));
    assertThat(p.type()).isEqualTo(type);
    assertThat(p).hasFieldOrPropertyWithValue("reasonCode", ReasonCode.SUCCESS)
        .hasFieldOrPropertyWithValue("properties", MqttProperties.EMPTY);
  }

  @Test
  void pubackV5_remainingLength3_isReasonCodeWithoutProperties() {
    PubackPacket p = (PubackPacket) afterConnectV5(bytes(
        0x40, 3, //               PUBACK, remaining length 3
        0, 9, //                  packet id 9
        0x10)); //                reason code No matching subscribers
    assertThat(p.reasonCode()).isEqualTo(ReasonCode.NO_MATCHING_SUBSCRIBERS);
    assertThat(p.properties()).isEqualTo(MqttProperties.EMPTY);
  }

  @Test
  void pubrecV5_withProperties_decodes() {
    PubrecPacket p = (PubrecPacket) afterConnectV5(bytes(
        0x50, 16, //                          PUBREC, remaining length 16
        0, 9, //                              packet id 9
        0x97, //                              reason code Quota exceeded
        12, //                                property length 12
        0x1F, 0, 2, 'n', 'o', //              reason string "no"
        0x26, 0, 1, 'a', 0, 1, 'b')); //      user property a=b
    assertThat(p.reasonCode()).isEqualTo(ReasonCode.QUOTA_EXCEEDED);
    assertThat(p.properties().reasonString()).isEqualTo("no");
    assertThat(p.properties().userProperties()).containsExactly(new UserProperty("a", "b"));
  }

  @Test
  void pubrelV5_packetIdentifierNotFound_decodes() {
    PubrelPacket p = (PubrelPacket) afterConnectV5(bytes(0x62, 4, 0, 9, 0x92, 0));
    assertThat(p.reasonCode()).isEqualTo(ReasonCode.PACKET_IDENTIFIER_NOT_FOUND);
  }

  @Test
  void pubcompFromServer_decodesOnClient() {
    PubcompPacket p = (PubcompPacket) client(MqttVersion.V5, bytes(0x70, 3, 0, 9, 0x92));
    assertThat(p.reasonCode()).isEqualTo(ReasonCode.PACKET_IDENTIFIER_NOT_FOUND);
  }

  @Test
  @DisplayName("a reason code outside the packet's table is malformed")
  void v5_reasonCodeNotForThisPacket_malformed() {
    // 0x92 is a PUBREL/PUBCOMP code, not a PUBACK code
    assertThat(failure(afterConnectV5(bytes(0x40, 3, 0, 9, 0x92)))).isEqualTo(ReasonCode.MALFORMED_PACKET);
    // 0x10 is a PUBACK/PUBREC code, not a PUBREL code
    assertThat(failure(afterConnectV5(bytes(0x62, 3, 0, 9, 0x10)))).isEqualTo(ReasonCode.MALFORMED_PACKET);
    // 0x05 is no reason code at all
    assertThat(failure(afterConnectV5(bytes(0x70, 3, 0, 9, 0x05)))).isEqualTo(ReasonCode.MALFORMED_PACKET);
  }

  @Test
  void v5_propertyNotAllowedInAck_malformed() {
    assertThat(failure(afterConnectV5(bytes(
        0x40, 6, 0, 9, 0x00,
        2, 0x01, 1)))) //                 payload format indicator: PUBLISH only
        .isEqualTo(ReasonCode.MALFORMED_PACKET);
  }

  @Test
  void v5_duplicateReasonString_protocolError() {
    assertThat(failure(afterConnectV5(bytes(
        0x40, 12, 0, 9, 0x00,
        8, 0x1F, 0, 1, 'a', 0x1F, 0, 1, 'b')))) // reason string twice
        .isEqualTo(ReasonCode.PROTOCOL_ERROR);
  }

  @Test
  void v5_bytesAfterProperties_malformed() {
    assertThat(failure(afterConnectV5(bytes(0x40, 5, 0, 9, 0x00, 0, 0x00))))
        .isEqualTo(ReasonCode.MALFORMED_PACKET);
  }

  @Test
  @DisplayName("[MQTT-2.2.1-3] PUBACK with packet id 0 is a protocol error")
  void packetId0_protocolError() {
    assertThat(failure(afterConnectV5(bytes(0x40, 2, 0, 0)))).isEqualTo(ReasonCode.PROTOCOL_ERROR);
  }

  @Test
  void missingPacketId_malformed() {
    assertThat(failure(afterConnectV311(bytes(0x40, 1, 0)))).isEqualTo(ReasonCode.MALFORMED_PACKET);
  }

  @Test
  @DisplayName("[MQTT-3.6.1-1] PUBREL with flags other than 0010 is malformed")
  void pubrelWrongFlags_malformed() {
    assertThat(failure(afterConnectV311(bytes(0x60, 2, 0, 1)))).isEqualTo(ReasonCode.MALFORMED_PACKET);
    assertThat(failure(afterConnectV5(bytes(0x63, 2, 0, 1)))).isEqualTo(ReasonCode.MALFORMED_PACKET);
  }

  @Test
  @DisplayName("[MQTT-2.1.3-1] PUBACK with a reserved flag set is malformed")
  void pubackWithFlags_malformed() {
    assertThat(failure(afterConnectV5(bytes(0x42, 2, 0, 1)))).isEqualTo(ReasonCode.MALFORMED_PACKET);
  }
}
