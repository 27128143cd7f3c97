package io.berth.codec;

import static io.berth.codec.Wire.bytes;
import static io.berth.codec.Wire.concat;
import static io.berth.codec.Wire.failure;
import static io.berth.codec.Wire.server;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** MQTT 5.0 property lists: identifiers, where each may stand, repetition and value ranges. */
class PropertiesDecoderTest {

  /** A 5.0 CONNECT with empty client id whose property list is {@code properties} (under 100 bytes). */
  private static byte[] connectWith(int... properties) {
    return concat(
        bytes(0x10, 13 + properties.length, 0, 4, 'M', 'Q', 'T', 'T', 5, 0x02, 0, 60, properties.length),
        bytes(properties),
        bytes(0, 0)); // client id ""
  }

  /** A 5.0 QoS 0 PUBLISH to "t" whose property list is {@code properties}. */
  private static byte[] publishWith(int... properties) {
    return concat(bytes(0x30, 4 + properties.length, 0, 1, 't', properties.length), bytes(properties));
  }

  @Test
  void connectWith_emptyList_decodes() {
    assertThat(server(connectWith())).isInstanceOf(ConnectPacket.class);
  }

  @Test
  void unknownIdentifier_malformed() {
    assertThat(failure(server(connectWith(0x04, 0)))).isEqualTo(ReasonCode.MALFORMED_PACKET);
    assertThat(failure(server(connectWith(0x2B, 0)))).isEqualTo(ReasonCode.MALFORMED_PACKET);
    assertThat(failure(server(connectWith(0x00, 0)))).isEqualTo(ReasonCode.MALFORMED_PACKET);
  }

  @Test
  @DisplayName("table 2.2.2.2: a property of another packet type is malformed")
  void propertyOfAnotherPacketType_malformed() {
    // topic alias (PUBLISH only) in CONNECT
    assertThat(failure(server(connectWith(0x23, 0, 1)))).isEqualTo(ReasonCode.MALFORMED_PACKET);
    // will delay interval (will properties only) in CONNECT
    assertThat(failure(server(connectWith(0x18, 0, 0, 0, 1)))).isEqualTo(ReasonCode.MALFORMED_PACKET);
    // session expiry interval (CONNECT, CONNACK, DISCONNECT) in PUBLISH
    assertThat(failure(Wire.afterConnectV5(publishWith(0x11, 0, 0, 0, 1))))
        .isEqualTo(ReasonCode.MALFORMED_PACKET);
    // maximum QoS (CONNACK only) in CONNECT
    assertThat(failure(server(connectWith(0x24, 1)))).isEqualTo(ReasonCode.MALFORMED_PACKET);
  }

  @Test
  void repeatedProperty_protocolError() {
    assertThat(failure(server(connectWith(0x11, 0, 0, 0, 1, 0x11, 0, 0, 0, 2))))
        .isEqualTo(ReasonCode.PROTOCOL_ERROR);
    assertThat(failure(Wire.afterConnectV5(publishWith(0x03, 0, 1, 'a', 0x03, 0, 1, 'b'))))
        .isEqualTo(ReasonCode.PROTOCOL_ERROR);
  }

  @Test
  void repeatedUserProperties_keepTheirOrder() {
    ConnectPacket c = (ConnectPacket) server(connectWith(
        0x26, 0, 1, 'k', 0, 1, '1', //   k=1
        0x26, 0, 1, 'k', 0, 1, '2')); // k=2
    assertThat(c.properties().userProperties())
        .containsExactly(new UserProperty("k", "1"), new UserProperty("k", "2"));
  }

  @Test
  void receiveMaximum0_protocolError() {
    assertThat(failure(server(connectWith(0x21, 0, 0)))).isEqualTo(ReasonCode.PROTOCOL_ERROR);
  }

  @Test
  void maximumPacketSize0_protocolError() {
    assertThat(failure(server(connectWith(0x27, 0, 0, 0, 0)))).isEqualTo(ReasonCode.PROTOCOL_ERROR);
  }

  @Test
  void requestInformationOtherThan0Or1_protocolError() {
    assertThat(failure(server(connectWith(0x17, 2)))).isEqualTo(ReasonCode.PROTOCOL_ERROR);
    assertThat(failure(server(connectWith(0x19, 0xFF)))).isEqualTo(ReasonCode.PROTOCOL_ERROR);
  }

  @Test
  void authenticationDataWithoutMethod_protocolError() {
    assertThat(failure(server(connectWith(0x16, 0, 1, 1)))).isEqualTo(ReasonCode.PROTOCOL_ERROR);
  }

  @Test
  void valueCutShortByThePropertyLength_malformed() {
    // property length 3 but a four-byte integer follows the identifier
    assertThat(failure(server(concat(
        bytes(0x10, 18, 0, 4, 'M', 'Q', 'T', 'T', 5, 0x02, 0, 60),
        bytes(3, 0x11, 0, 0, 0, 1), //   session expiry cut at the property length
        bytes(0, 0))))).isEqualTo(ReasonCode.MALFORMED_PACKET);
  }

  @Test
  void propertyLengthOver4Bytes_malformed() {
    assertThat(failure(Wire.afterConnectV5(bytes(0x30, 8, 0, 1, 't', 0x80, 0x80, 0x80, 0x80, 0x01))))
        .isEqualTo(ReasonCode.MALFORMED_PACKET);
  }

  @Test
  void propertyIdentifierInNonMinimalForm_isAccepted() {
    // identifier 0x01 written as the two-byte variable byte integer 0x81 0x00
    PublishPacket p = (PublishPacket) Wire.afterConnectV5(publishWith(0x81, 0x00, 1));
    assertThat(p.properties().payloadFormatIndicator()).isEqualTo(1);
  }

  @Test
  void userPropertyWithInvalidUtf8_malformed() {
    assertThat(failure(server(connectWith(0x26, 0, 1, 0xFF, 0, 0)))).isEqualTo(ReasonCode.MALFORMED_PACKET);
  }
}
