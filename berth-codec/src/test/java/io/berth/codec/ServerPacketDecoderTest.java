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

/**
 * What a client receives (CONNACK, SUBACK, UNSUBACK, PINGRESP) and what both sides send (DISCONNECT,
 * AUTH, PINGREQ), plus the rule that a packet only the other side may send is a protocol error.
 */
class ServerPacketDecoderTest {

  @ParameterizedTest(name = "return code {0} -> {1}")
  @CsvSource({
    "0, SUCCESS",
    "1, UNSUPPORTED_PROTOCOL_VERSION",
    "2, CLIENT_IDENTIFIER_NOT_VALID",
    "3, SERVER_UNAVAILABLE",
    "4, BAD_USER_NAME_OR_PASSWORD",
    "5, NOT_AUTHORIZED"
  })
  void connackV311_returnCodes_mapToReasonCodes(int code, ReasonCode expected) {
    ConnackPacket p = (ConnackPacket) client(MqttVersion.V3_1_1, bytes(
        0x20, 2, //   CONNACK, remaining length 2
        0, //         session present 0
        code)); //    return code
    assertThat(p.reasonCode()).isEqualTo(expected);
    assertThat(p.sessionPresent()).isFalse();
  }

  @Test
  void connackV311_returnCode6_malformed() {
    assertThat(failure(client(MqttVersion.V3_1_1, bytes(0x20, 2, 0, 6)))).isEqualTo(ReasonCode.MALFORMED_PACKET);
  }

  @Test
  void connackV311_sessionPresent_decodes() {
    assertThat(((ConnackPacket) client(MqttVersion.V3_1_1, bytes(0x20, 2, 1, 0))).sessionPresent()).isTrue();
  }

  @Test
  void connack_reservedFlags_malformed() {
    assertThat(failure(client(MqttVersion.V3_1_1, bytes(0x20, 2, 0x02, 0)))).isEqualTo(ReasonCode.MALFORMED_PACKET);
  }

  @Test
  @DisplayName("[MQTT-3.2.2-6] CONNACK with session present and an error code is a protocol error")
  void connack_sessionPresentWithError_protocolError() {
    assertThat(failure(client(MqttVersion.V5, bytes(0x20, 3, 1, 0x87, 0)))).isEqualTo(ReasonCode.PROTOCOL_ERROR);
  }

  @Test
  void connackV5_allServerProperties_decode() {
    ConnackPacket p = (ConnackPacket) client(MqttVersion.V5, bytes(
        0x20, 65, //                          CONNACK, remaining length 65
        1, //                                 session present
        0x00, //                              Success
        62, //                                property length 62
        0x11, 0, 0, 0, 10, //                 session expiry interval 10
        0x21, 0, 100, //                      receive maximum 100
        0x24, 1, //                           maximum QoS 1
        0x25, 0, //                           retain available 0
        0x27, 0, 0, 0x10, 0, //               maximum packet size 4096
        0x12, 0, 2, 'i', 'd', //              assigned client identifier "id"
        0x22, 0, 10, //                       topic alias maximum 10
        0x1F, 0, 2, 'o', 'k', //              reason string "ok"
        0x28, 0, //                           wildcard subscription available 0
        0x29, 1, //                           subscription identifiers available 1
        0x2A, 0, //                           shared subscription available 0
        0x13, 0, 30, //                       server keep alive 30
        0x1A, 0, 1, 'r', //                   response information "r"
        0x1C, 0, 1, 's', //                   server reference "s"
        0x15, 0, 1, 'm', //                   authentication method "m"
        0x16, 0, 1, 9, //                     authentication data {9}
        0x26, 0, 1, 'a', 0, 1, 'b')); //      user property a=b
    assertThat(p.sessionPresent()).isTrue();
    MqttProperties q = p.properties();
    assertThat(q.sessionExpiryInterval()).isEqualTo(10L);
    assertThat(q.receiveMaximum()).isEqualTo(100);
    assertThat(q.maximumQos()).isEqualTo(1);
    assertThat(q.retainAvailable()).isEqualTo(0);
    assertThat(q.maximumPacketSize()).isEqualTo(4096L);
    assertThat(q.assignedClientIdentifier()).isEqualTo("id");
    assertThat(q.topicAliasMaximum()).isEqualTo(10);
    assertThat(q.reasonString()).isEqualTo("ok");
    assertThat(q.wildcardSubscriptionAvailable()).isEqualTo(0);
    assertThat(q.subscriptionIdentifierAvailable()).isEqualTo(1);
    assertThat(q.sharedSubscriptionAvailable()).isEqualTo(0);
    assertThat(q.serverKeepAlive()).isEqualTo(30);
    assertThat(q.responseInformation()).isEqualTo("r");
    assertThat(q.serverReference()).isEqualTo("s");
    assertThat(q.authenticationMethod()).isEqualTo("m");
    assertThat(q.authenticationData()).containsExactly(9);
    assertThat(q.userProperties()).containsExactly(new UserProperty("a", "b"));
  }

  @Test
  void connackV5_maximumQos2_protocolError() {
    assertThat(failure(client(MqttVersion.V5, bytes(0x20, 5, 0, 0, 2, 0x24, 2)))).isEqualTo(ReasonCode.PROTOCOL_ERROR);
  }

  @Test
  void connackV5_withoutPropertyLength_malformed() {
    assertThat(failure(client(MqttVersion.V5, bytes(0x20, 2, 0, 0)))).isEqualTo(ReasonCode.MALFORMED_PACKET);
  }

  @Test
  void connackV5_reasonCodeNotForConnack_malformed() {
    // 0x8E Session taken over is a DISCONNECT code
    assertThat(failure(client(MqttVersion.V5, bytes(0x20, 3, 0, 0x8E, 0)))).isEqualTo(ReasonCode.MALFORMED_PACKET);
  }

  @Test
  void subackV311_returnCodes_decode() {
    SubackPacket p = (SubackPacket) client(MqttVersion.V3_1_1, bytes(
        0x90, 6, //               SUBACK, remaining length 6
        0, 3, //                  packet id 3
        0x00, 0x01, 0x02, 0x80)); // granted 0, 1, 2, failure
    assertThat(p.reasonCodes()).containsExactly(
        ReasonCode.SUCCESS, ReasonCode.GRANTED_QOS_1, ReasonCode.GRANTED_QOS_2, ReasonCode.UNSPECIFIED_ERROR);
  }

  @Test
  void subackV311_returnCode0x87_malformed() {
    assertThat(failure(client(MqttVersion.V3_1_1, bytes(0x90, 3, 0, 3, 0x87)))).isEqualTo(ReasonCode.MALFORMED_PACKET);
  }

  @Test
  void subackV5_reasonCodesAndReasonString_decode() {
    SubackPacket p = (SubackPacket) client(MqttVersion.V5, bytes(
        0x90, 9, //               SUBACK, remaining length 9
        0, 3, //                  packet id 3
        4, 0x1F, 0, 1, 'x', //    reason string "x"
        0x01, 0xA2)); //          granted QoS 1, wildcard subscriptions not supported
    assertThat(p.reasonCodes()).containsExactly(
        ReasonCode.GRANTED_QOS_1, ReasonCode.WILDCARD_SUBSCRIPTIONS_NOT_SUPPORTED);
    assertThat(p.properties().reasonString()).isEqualTo("x");
  }

  @Test
  void suback_withoutReasonCodes_protocolError() {
    assertThat(failure(client(MqttVersion.V5, bytes(0x90, 3, 0, 3, 0)))).isEqualTo(ReasonCode.PROTOCOL_ERROR);
  }

  @Test
  void unsubackV311_packetIdOnly_decodes() {
    UnsubackPacket p = (UnsubackPacket) client(MqttVersion.V3_1_1, bytes(0xB0, 2, 0, 4));
    assertThat(p.packetId()).isEqualTo(4);
    assertThat(p.reasonCodes()).isEmpty();
  }

  @Test
  void unsubackV311_extraBytes_malformed() {
    assertThat(failure(client(MqttVersion.V3_1_1, bytes(0xB0, 3, 0, 4, 0)))).isEqualTo(ReasonCode.MALFORMED_PACKET);
  }

  @Test
  void unsubackV5_reasonCodes_decode() {
    UnsubackPacket p = (UnsubackPacket) client(MqttVersion.V5, bytes(
        0xB0, 5, //               UNSUBACK, remaining length 5
        0, 4, //                  packet id 4
        0, //                     no properties
        0x00, 0x11)); //          success, no subscription existed
    assertThat(p.reasonCodes()).containsExactly(ReasonCode.SUCCESS, ReasonCode.NO_SUBSCRIPTION_EXISTED);
  }

  @Test
  void pingrespAndPingreq_decode() {
    assertThat(client(MqttVersion.V5, bytes(0xD0, 0))).isEqualTo(PingrespPacket.INSTANCE);
    assertThat(afterConnectV311(bytes(0xC0, 0))).isEqualTo(PingreqPacket.INSTANCE);
  }

  @Test
  void pingreqWithBody_malformed() {
    assertThat(failure(afterConnectV311(bytes(0xC0, 1, 0)))).isEqualTo(ReasonCode.MALFORMED_PACKET);
  }

  @Test
  void disconnectV311_decodes() {
    assertThat(afterConnectV311(bytes(0xE0, 0))).isEqualTo(DisconnectPacket.NORMAL);
  }

  @Test
  void disconnectV311_withReasonCode_malformed() {
    assertThat(failure(afterConnectV311(bytes(0xE0, 1, 0x04)))).isEqualTo(ReasonCode.MALFORMED_PACKET);
  }

  @Test
  @DisplayName("[MQTT-3.14.1-1] DISCONNECT with reserved flags set is malformed")
  void disconnectWithFlags_malformed() {
    assertThat(failure(afterConnectV5(bytes(0xE1, 0)))).isEqualTo(ReasonCode.MALFORMED_PACKET);
  }

  @Test
  void disconnectV5_shortForms_decode() {
    assertThat(afterConnectV5(bytes(0xE0, 0))).isEqualTo(DisconnectPacket.NORMAL);
    assertThat(afterConnectV5(bytes(0xE0, 1, 0x04)))
        .isEqualTo(DisconnectPacket.of(ReasonCode.DISCONNECT_WITH_WILL_MESSAGE));
  }

  @Test
  void disconnectV5_withSessionExpiry_decodesFromClient() {
    DisconnectPacket p = (DisconnectPacket) afterConnectV5(bytes(
        0xE0, 7, //               DISCONNECT, remaining length 7
        0x00, //                  normal disconnection
        5, 0x11, 0, 0, 0, 60)); // session expiry interval 60
    assertThat(p.properties().sessionExpiryInterval()).isEqualTo(60L);
  }

  @Test
  @DisplayName("[MQTT-3.14.2-2] DISCONNECT from a server with a session expiry interval is a protocol error")
  void disconnectV5_fromServerWithSessionExpiry_protocolError() {
    assertThat(failure(client(MqttVersion.V5, bytes(0xE0, 7, 0x00, 5, 0x11, 0, 0, 0, 60))))
        .isEqualTo(ReasonCode.PROTOCOL_ERROR);
  }

  @Test
  void disconnectV5_serverReference_decodesOnClient() {
    DisconnectPacket p = (DisconnectPacket) client(MqttVersion.V5, bytes(
        0xE0, 6, 0x9C, //         use another server
        4, 0x1C, 0, 1, 'h')); //  server reference "h"
    assertThat(p.reasonCode()).isEqualTo(ReasonCode.USE_ANOTHER_SERVER);
    assertThat(p.properties().serverReference()).isEqualTo("h");
  }

  @Test
  void authV5_continueAuthentication_decodes() {
    AuthPacket p = (AuthPacket) afterConnectV5(bytes(
        0xF0, 11, //              AUTH, remaining length 11
        0x18, //                  continue authentication
        9, //                     property length 9
        0x15, 0, 1, 'm', //       authentication method "m"
        0x16, 0, 2, 1, 2)); //    authentication data {1, 2}
    assertThat(p.reasonCode()).isEqualTo(ReasonCode.CONTINUE_AUTHENTICATION);
    assertThat(p.properties().authenticationMethod()).isEqualTo("m");
    assertThat(p.properties().authenticationData()).containsExactly(1, 2);
  }

  @Test
  void authV5_remainingLength0_isSuccess() {
    assertThat(afterConnectV5(bytes(0xF0, 0))).isEqualTo(new AuthPacket(ReasonCode.SUCCESS, MqttProperties.EMPTY));
  }

  @Test
  void authV5_dataWithoutMethod_protocolError() {
    assertThat(failure(afterConnectV5(bytes(0xF0, 6, 0x18, 4, 0x16, 0, 1, 1)))).isEqualTo(ReasonCode.PROTOCOL_ERROR);
  }

  @Test
  void authV5_reasonCodeOfDisconnect_malformed() {
    assertThat(failure(afterConnectV5(bytes(0xF0, 1, 0x04)))).isEqualTo(ReasonCode.MALFORMED_PACKET);
  }

  @Test
  void authV311_reservedPacketType_malformed() {
    assertThat(failure(afterConnectV311(bytes(0xF0, 0)))).isEqualTo(ReasonCode.MALFORMED_PACKET);
    assertThat(failure(client(MqttVersion.V3_1_1, bytes(0xF0, 0)))).isEqualTo(ReasonCode.MALFORMED_PACKET);
  }

  @ParameterizedTest(name = "server receiving {0}")
  @CsvSource({"0x20", "0x90", "0xB0", "0xD0"})
  void serverReceivingServerPacket_protocolError(String first) {
    assertThat(failure(afterConnectV311(bytes(Integer.decode(first), 0)))).isEqualTo(ReasonCode.PROTOCOL_ERROR);
  }

  @ParameterizedTest(name = "client receiving {0}")
  @CsvSource({"0x10", "0x82", "0xA2", "0xC0"})
  void clientReceivingClientPacket_protocolError(String first) {
    assertThat(failure(client(MqttVersion.V5, bytes(Integer.decode(first), 0)))).isEqualTo(ReasonCode.PROTOCOL_ERROR);
  }
}
