package io.berth.codec;

import static io.berth.codec.Wire.bytes;
import static io.berth.codec.Wire.failure;
import static io.berth.codec.Wire.feed;
import static io.berth.codec.Wire.server;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ConnectDecoderTest {

  @Test
  void connectV311_withWillUserNameAndPassword_decodesEveryField() {
    byte[] packet = bytes(
        0x10, 31, //                 CONNECT, remaining length 31
        0, 4, 'M', 'Q', 'T', 'T', // protocol name
        4, //                        level 4 (3.1.1)
        0xEE, //                     user name, password, will retain, will QoS 1, will, clean session
        0, 30, //                    keep alive 30
        0, 3, 'c', 'i', 'd', //      client id "cid"
        0, 3, 'a', '/', 'b', //      will topic "a/b"
        0, 2, 'h', 'i', //           will payload "hi"
        0, 1, 'u', //                user name "u"
        0, 2, 'p', 'w'); //          password "pw"
    MqttDecoder decoder = MqttDecoder.forServer(Wire.MAX);
    List<Object> out = feed(decoder, packet);

    assertThat(out).hasSize(1);
    ConnectPacket c = (ConnectPacket) out.get(0);
    assertThat(c.version()).isEqualTo(MqttVersion.V3_1_1);
    assertThat(c.clientId()).isEqualTo("cid");
    assertThat(c.cleanStart()).isTrue();
    assertThat(c.keepAliveSeconds()).isEqualTo(30);
    assertThat(c.username()).isEqualTo("u");
    assertThat(c.password()).containsExactly('p', 'w');
    assertThat(c.will().topic()).isEqualTo("a/b");
    assertThat(c.will().payload()).containsExactly('h', 'i');
    assertThat(c.will().qos()).isEqualTo(QoS.AT_LEAST_ONCE);
    assertThat(c.will().retain()).isTrue();
    assertThat(c.properties()).isEqualTo(MqttProperties.EMPTY);
    assertThat(decoder.version()).isEqualTo(MqttVersion.V3_1_1);
  }

  @Test
  void connectV5_withPropertiesAndWillProperties_decodesEveryField() {
    byte[] packet = bytes(
        0x10, 92, //                         CONNECT, remaining length 92
        0, 4, 'M', 'Q', 'T', 'T', //         protocol name
        5, //                                level 5
        0x06, //                             will (QoS 0, no retain), clean start
        0, 10, //                            keep alive 10
        40, //                               property length 40
        0x11, 0, 0, 0, 120, //               session expiry interval 120
        0x21, 0, 20, //                      receive maximum 20
        0x27, 0, 0, 1, 0, //                 maximum packet size 256
        0x22, 0, 5, //                       topic alias maximum 5
        0x19, 1, //                          request response information 1
        0x17, 0, //                          request problem information 0
        0x26, 0, 1, 'k', 0, 1, 'v', //       user property k=v
        0x15, 0, 5, 'P', 'L', 'A', 'I', 'N', // authentication method "PLAIN"
        0x16, 0, 2, 1, 2, //                 authentication data {1, 2}
        0, 2, 'c', '1', //                   client id "c1"
        29, //                               will property length 29
        0x18, 0, 0, 0, 5, //                 will delay interval 5
        0x01, 1, //                          payload format indicator 1 (UTF-8)
        0x02, 0, 0, 0, 9, //                 message expiry interval 9
        0x03, 0, 4, 't', 'e', 'x', 't', //   content type "text"
        0x08, 0, 3, 'r', '/', 't', //        response topic "r/t"
        0x09, 0, 1, 7, //                    correlation data {7}
        0, 1, 'w', //                        will topic "w"
        0, 2, 'o', 'k'); //                  will payload "ok"
    MqttDecoder decoder = MqttDecoder.forServer(Wire.MAX);
    ConnectPacket c = (ConnectPacket) feed(decoder, packet).get(0);

    assertThat(decoder.version()).isEqualTo(MqttVersion.V5);
    assertThat(c.version()).isEqualTo(MqttVersion.V5);
    assertThat(c.clientId()).isEqualTo("c1");
    assertThat(c.username()).isNull();
    assertThat(c.password()).isNull();
    MqttProperties p = c.properties();
    assertThat(p.sessionExpiryInterval()).isEqualTo(120L);
    assertThat(p.receiveMaximum()).isEqualTo(20);
    assertThat(p.maximumPacketSize()).isEqualTo(256L);
    assertThat(p.topicAliasMaximum()).isEqualTo(5);
    assertThat(p.requestResponseInformation()).isEqualTo(1);
    assertThat(p.requestProblemInformation()).isEqualTo(0);
    assertThat(p.userProperties()).containsExactly(new UserProperty("k", "v"));
    assertThat(p.authenticationMethod()).isEqualTo("PLAIN");
    assertThat(p.authenticationData()).containsExactly(1, 2);
    Will will = c.will();
    assertThat(will.topic()).isEqualTo("w");
    assertThat(will.qos()).isEqualTo(QoS.AT_MOST_ONCE);
    assertThat(will.retain()).isFalse();
    MqttProperties wp = will.properties();
    assertThat(wp.willDelayInterval()).isEqualTo(5L);
    assertThat(wp.payloadFormatIndicator()).isEqualTo(1);
    assertThat(wp.messageExpiryInterval()).isEqualTo(9L);
    assertThat(wp.contentType()).isEqualTo("text");
    assertThat(wp.responseTopic()).isEqualTo("r/t");
    assertThat(wp.correlationData()).containsExactly(7);
  }

  @Test
  void connectV31_mqisdp_decodesAsVersion31() {
    byte[] packet = bytes(
        0x10, 15, //                               CONNECT, remaining length 15
        0, 6, 'M', 'Q', 'I', 's', 'd', 'p', //     protocol name "MQIsdp"
        3, //                                      level 3
        0x02, //                                   clean session
        0, 60, //                                  keep alive 60
        0, 1, 'x'); //                             client id "x"
    MqttDecoder decoder = MqttDecoder.forServer(Wire.MAX);
    ConnectPacket c = (ConnectPacket) feed(decoder, packet).get(0);
    assertThat(c.version()).isEqualTo(MqttVersion.V3_1);
    assertThat(decoder.version()).isEqualTo(MqttVersion.V3_1);
  }

  @Test
  @DisplayName("[MQTT-3.1.0-1] a first packet other than CONNECT is a protocol error")
  void firstPacketNotConnect_protocolError() {
    DecodeFailure f = (DecodeFailure) server(bytes(0xC0, 0)); // PINGREQ
    assertThat(f.reasonCode()).isEqualTo(ReasonCode.PROTOCOL_ERROR);
    assertThat(f.version()).isNull();
    assertThat(f.inConnect()).isTrue();
  }

  @Test
  @DisplayName("[MQTT-3.1.0-1] a first packet other than CONNECT fails on its first byte")
  void firstPacketNotConnect_failsBeforeBody() {
    // PUBLISH announcing 127 bytes of which none arrive: no need to wait for them.
    assertThat(failure(server(bytes(0x30, 127)))).isEqualTo(ReasonCode.PROTOCOL_ERROR);
  }

  @Test
  @DisplayName("[MQTT-3.1.0-2] a second CONNECT decodes; the broker rejects it")
  void secondConnect_decodes() {
    MqttDecoder decoder = MqttDecoder.forServer(Wire.MAX);
    List<Object> out = feed(decoder, Wire.CONNECT_V5, Wire.CONNECT_V311);
    assertThat(out).hasSize(2).allMatch(o -> o instanceof ConnectPacket);
    assertThat(decoder.version()).isEqualTo(MqttVersion.V5);
  }

  @Test
  @DisplayName("[MQTT-3.1.2-2] unknown protocol level: Unsupported Protocol Version, version unknown")
  void unknownLevel_unsupportedProtocolVersion() {
    DecodeFailure f = (DecodeFailure) server(bytes(
        0x10, 12, 0, 4, 'M', 'Q', 'T', 'T',
        6, //                              level 6: unknown
        0x02, 0, 60, 0, 0));
    assertThat(f.reasonCode()).isEqualTo(ReasonCode.UNSUPPORTED_PROTOCOL_VERSION);
    assertThat(f.version()).isNull();
    assertThat(f.inConnect()).isTrue();
  }

  @Test
  @DisplayName("[MQTT-3.1.2-2] protocol name MQTT with level 3: Unsupported Protocol Version")
  void mqttNameWithLevel3_unsupportedProtocolVersion() {
    assertThat(failure(server(bytes(0x10, 12, 0, 4, 'M', 'Q', 'T', 'T', 3, 0x02, 0, 60, 0, 0))))
        .isEqualTo(ReasonCode.UNSUPPORTED_PROTOCOL_VERSION);
  }

  @Test
  @DisplayName("[MQTT-3.1.2-1] unknown protocol name: protocol error")
  void unknownProtocolName_protocolError() {
    DecodeFailure f = (DecodeFailure) server(bytes(
        0x10, 12, 0, 4, 'M', 'Q', 'T', 'X', // protocol name "MQTX"
        4, 0x02, 0, 60, 0, 0));
    assertThat(f.reasonCode()).isEqualTo(ReasonCode.PROTOCOL_ERROR);
    assertThat(f.version()).isNull();
  }

  @Test
  @DisplayName("[MQTT-3.1.2-3] reserved connect flag set: malformed, version known")
  void reservedFlag_malformed() {
    DecodeFailure f = (DecodeFailure) server(bytes(
        0x10, 13, 0, 4, 'M', 'Q', 'T', 'T', 5,
        0x03, //                          clean start + reserved bit 0
        0, 60, 0, 0, 0));
    assertThat(f.reasonCode()).isEqualTo(ReasonCode.MALFORMED_PACKET);
    assertThat(f.version()).isEqualTo(MqttVersion.V5);
    assertThat(f.inConnect()).isTrue();
  }

  @Test
  @DisplayName("[MQTT-3.1.2-11] 5.0: will QoS without will flag is malformed")
  void willQosWithoutWill_v5_malformed() {
    assertThat(failure(server(bytes(
        0x10, 13, 0, 4, 'M', 'Q', 'T', 'T', 5,
        0x0A, //                          will QoS 1, clean start, no will flag
        0, 60, 0, 0, 0)))).isEqualTo(ReasonCode.MALFORMED_PACKET);
  }

  @Test
  @DisplayName("[MQTT-3.1.2-13] 3.1.1: will QoS without will flag is malformed")
  void willQosWithoutWill_v311_malformed() {
    assertThat(failure(server(bytes(
        0x10, 12, 0, 4, 'M', 'Q', 'T', 'T', 4,
        0x12, //                          will QoS 2, clean session, no will flag
        0, 60, 0, 0)))).isEqualTo(ReasonCode.MALFORMED_PACKET);
  }

  @Test
  @DisplayName("[MQTT-3.1.2-13] 5.0 / [MQTT-3.1.2-15] 3.1.1: will retain without will flag is malformed")
  void willRetainWithoutWill_malformed() {
    assertThat(failure(server(bytes(
        0x10, 12, 0, 4, 'M', 'Q', 'T', 'T', 4,
        0x22, //                          will retain, clean session, no will flag
        0, 60, 0, 0)))).isEqualTo(ReasonCode.MALFORMED_PACKET);
    assertThat(failure(server(bytes(
        0x10, 13, 0, 4, 'M', 'Q', 'T', 'T', 5,
        0x20, //                          will retain, no will flag
        0, 60, 0, 0, 0)))).isEqualTo(ReasonCode.MALFORMED_PACKET);
  }

  @Test
  @DisplayName("[MQTT-3.1.2-12] 5.0 / [MQTT-3.1.2-14] 3.1.1: will QoS 3 is malformed")
  void willQos3_malformed() {
    assertThat(failure(server(bytes(
        0x10, 18, 0, 4, 'M', 'Q', 'T', 'T', 4,
        0x1E, //                          will QoS 3, will, clean session
        0, 60, 0, 0,
        0, 1, 't', //                     will topic
        0, 1, 'x')))).isEqualTo(ReasonCode.MALFORMED_PACKET); // will payload
  }

  @Test
  @DisplayName("[MQTT-3.1.2-22] 3.1.1: password without user name is malformed")
  void passwordWithoutUserName_v311_malformed() {
    assertThat(failure(server(bytes(
        0x10, 15, 0, 4, 'M', 'Q', 'T', 'T', 4,
        0x42, //                          password, clean session
        0, 60, 0, 0,
        0, 1, 'p')))).isEqualTo(ReasonCode.MALFORMED_PACKET); // password
  }

  @Test
  void passwordWithoutUserName_v5_decodes() {
    ConnectPacket c = (ConnectPacket) server(bytes(
        0x10, 16, 0, 4, 'M', 'Q', 'T', 'T', 5,
        0x42, //                          password, clean start
        0, 60,
        0, //                             no properties
        0, 0, //                          client id ""
        0, 1, 'p')); //                   password "p"
    assertThat(c.username()).isNull();
    assertThat(c.password()).containsExactly('p');
  }

  @Test
  @DisplayName("[MQTT-3.1.3-11] will topic with a wildcard: Topic Name invalid")
  void willTopicWithWildcard_topicNameInvalid() {
    DecodeFailure f = (DecodeFailure) server(bytes(
        0x10, 21, 0, 4, 'M', 'Q', 'T', 'T', 5,
        0x06, //                          will, clean start
        0, 60,
        0, //                             properties
        0, 0, //                          client id
        0, //                             will properties
        0, 3, 'a', '/', '#', //           will topic "a/#"
        0, 0)); //                        will payload
    assertThat(f.reasonCode()).isEqualTo(ReasonCode.TOPIC_NAME_INVALID);
    assertThat(f.version()).isEqualTo(MqttVersion.V5);
  }

  @Test
  @DisplayName("5.0: will payload marked UTF-8 that is not UTF-8: Payload format invalid")
  void willPayloadFormatUtf8_notUtf8_payloadFormatInvalid() {
    assertThat(failure(server(bytes(
        0x10, 22, 0, 4, 'M', 'Q', 'T', 'T', 5,
        0x06, 0, 60,
        0, //                             properties
        0, 0, //                          client id
        2, 0x01, 1, //                    will properties: payload format indicator 1
        0, 1, 't', //                     will topic "t"
        0, 1, 0xFF)))) //                 will payload: not UTF-8
        .isEqualTo(ReasonCode.PAYLOAD_FORMAT_INVALID);
  }

  @Test
  void willPropertyNotAllowedInWill_malformed() {
    assertThat(failure(server(bytes(
        0x10, 24, 0, 4, 'M', 'Q', 'T', 'T', 5,
        0x06, 0, 60,
        0, //                             properties
        0, 0, //                          client id
        5, 0x11, 0, 0, 0, 1, //           will properties: session expiry interval (CONNECT only)
        0, 1, 't', //                     will topic
        0, 0)))) //                       will payload
        .isEqualTo(ReasonCode.MALFORMED_PACKET);
  }

  @Test
  @DisplayName("[MQTT-1.5.4-1] client id that is not well-formed UTF-8 is malformed")
  void clientIdNotUtf8_malformed() {
    assertThat(failure(server(bytes(
        0x10, 15, 0, 4, 'M', 'Q', 'T', 'T', 5, 0x02, 0, 60, 0,
        0, 2, 0xC0, 0xAF)))) //           client id: overlong encoding of '/'
        .isEqualTo(ReasonCode.MALFORMED_PACKET);
  }

  @Test
  void bytesAfterPayload_malformed() {
    assertThat(failure(server(bytes(
        0x10, 14, 0, 4, 'M', 'Q', 'T', 'T', 4, 0x02, 0, 60, 0, 0,
        0, 0)))) //                       two bytes no flag announces
        .isEqualTo(ReasonCode.MALFORMED_PACKET);
  }

  @Test
  void userNameFlagWithoutUserName_malformed() {
    assertThat(failure(server(bytes(
        0x10, 12, 0, 4, 'M', 'Q', 'T', 'T', 4,
        0x82, //                          user name flag, but the packet ends after the client id
        0, 60, 0, 0)))).isEqualTo(ReasonCode.MALFORMED_PACKET);
  }

  @Test
  void truncatedInsideVariableHeader_malformed() {
    assertThat(failure(server(bytes(
        0x10, 7, 0, 4, 'M', 'Q', 'T', 'T', 4)))) // ends after the level
        .isEqualTo(ReasonCode.MALFORMED_PACKET);
  }
}
