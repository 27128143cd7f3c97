package io.berth.codec;

import static io.berth.codec.Wire.afterConnectV311;
import static io.berth.codec.Wire.afterConnectV5;
import static io.berth.codec.Wire.bytes;
import static io.berth.codec.Wire.client;
import static io.berth.codec.Wire.failure;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PublishDecoderTest {

  @Test
  void publishV311_qos0_decodes() {
    PublishPacket p = (PublishPacket) afterConnectV311(bytes(
        0x31, 6, //               PUBLISH, QoS 0, retain; remaining length 6
        0, 3, 'a', '/', 'b', //   topic "a/b"
        'x')); //                 payload "x"
    assertThat(p.topic()).isEqualTo("a/b");
    assertThat(p.qos()).isEqualTo(QoS.AT_MOST_ONCE);
    assertThat(p.retain()).isTrue();
    assertThat(p.dup()).isFalse();
    assertThat(p.packetId()).isZero();
    assertThat(p.payload()).containsExactly('x');
    assertThat(p.properties()).isEqualTo(MqttProperties.EMPTY);
  }

  @Test
  void publishV311_qos2Dup_decodes() {
    PublishPacket p = (PublishPacket) afterConnectV311(bytes(
        0x3C, 5, //               PUBLISH, DUP, QoS 2; remaining length 5
        0, 1, 't', //             topic "t"
        0x12, 0x34)); //          packet id 0x1234, empty payload
    assertThat(p.qos()).isEqualTo(QoS.EXACTLY_ONCE);
    assertThat(p.dup()).isTrue();
    assertThat(p.packetId()).isEqualTo(0x1234);
    assertThat(p.payload()).isEmpty();
  }

  @Test
  void publishV311_qos0Dup_isTolerated() {
    PublishPacket p = (PublishPacket) afterConnectV311(bytes(0x38, 3, 0, 1, 't'));
    assertThat(p.dup()).isTrue();
  }

  @Test
  void publishV5_qos1WithProperties_decodes() {
    PublishPacket p = (PublishPacket) afterConnectV5(bytes(
        0x32, 39, //                          PUBLISH, QoS 1; remaining length 39
        0, 3, 'a', '/', 'b', //               topic "a/b"
        0, 7, //                              packet id 7
        28, //                                property length 28
        0x01, 1, //                           payload format indicator 1
        0x02, 0, 0, 0x0E, 0x10, //            message expiry interval 3600
        0x03, 0, 1, 'j', //                   content type "j"
        0x08, 0, 1, 'r', //                   response topic "r"
        0x09, 0, 2, 9, 9, //                  correlation data {9, 9}
        0x23, 0, 3, //                        topic alias 3
        0x26, 0, 0, 0, 0, //                  user property ""=""
        'h', 'e', 'y')); //                   payload "hey"
    assertThat(p.packetId()).isEqualTo(7);
    assertThat(p.payload()).containsExactly('h', 'e', 'y');
    MqttProperties props = p.properties();
    assertThat(props.payloadFormatIndicator()).isEqualTo(1);
    assertThat(props.messageExpiryInterval()).isEqualTo(3600L);
    assertThat(props.contentType()).isEqualTo("j");
    assertThat(props.responseTopic()).isEqualTo("r");
    assertThat(props.correlationData()).containsExactly(9, 9);
    assertThat(props.topicAlias()).isEqualTo(3);
    assertThat(props.userProperties()).containsExactly(new UserProperty("", ""));
  }

  @Test
  void publishV5_emptyTopicWithTopicAlias_decodes() {
    PublishPacket p = (PublishPacket) afterConnectV5(bytes(
        0x30, 6, //               PUBLISH QoS 0, remaining length 6
        0, 0, //                  topic ""
        3, 0x23, 0, 1)); //       properties: topic alias 1
    assertThat(p.topic()).isEmpty();
    assertThat(p.properties().topicAlias()).isEqualTo(1);
  }

  @Test
  @DisplayName("5.0: empty topic without topic alias is a protocol error")
  void publishV5_emptyTopicWithoutAlias_protocolError() {
    assertThat(failure(afterConnectV5(bytes(0x30, 3, 0, 0, 0)))).isEqualTo(ReasonCode.PROTOCOL_ERROR);
  }

  @Test
  @DisplayName("[MQTT-4.7.3-1] 3.1.1: empty topic is invalid")
  void publishV311_emptyTopic_topicNameInvalid() {
    assertThat(failure(afterConnectV311(bytes(0x30, 2, 0, 0)))).isEqualTo(ReasonCode.TOPIC_NAME_INVALID);
  }

  @Test
  @DisplayName("[MQTT-3.3.2-8] topic alias 0: Topic Alias invalid")
  void publishV5_topicAlias0_topicAliasInvalid() {
    assertThat(failure(afterConnectV5(bytes(0x30, 7, 0, 1, 't', 3, 0x23, 0, 0))))
        .isEqualTo(ReasonCode.TOPIC_ALIAS_INVALID);
  }

  @Test
  @DisplayName("[MQTT-3.3.1-4] PUBLISH with QoS 3 is malformed")
  void publish_qos3_malformed() {
    assertThat(failure(afterConnectV5(bytes(0x36, 6, 0, 1, 't', 0, 1, 0)))).isEqualTo(ReasonCode.MALFORMED_PACKET);
    assertThat(failure(afterConnectV311(bytes(0x36, 5, 0, 1, 't', 0, 1)))).isEqualTo(ReasonCode.MALFORMED_PACKET);
  }

  @Test
  @DisplayName("[MQTT-3.3.1-2] 5.0: DUP on a QoS 0 PUBLISH is malformed")
  void publishV5_qos0Dup_malformed() {
    assertThat(failure(afterConnectV5(bytes(0x38, 4, 0, 1, 't', 0)))).isEqualTo(ReasonCode.MALFORMED_PACKET);
  }

  @Test
  @DisplayName("[MQTT-3.3.2-2] topic name with + or #: Topic Name invalid")
  void publish_wildcardTopic_topicNameInvalid() {
    assertThat(failure(afterConnectV5(bytes(0x30, 6, 0, 3, 'a', '/', '+', 0))))
        .isEqualTo(ReasonCode.TOPIC_NAME_INVALID);
    assertThat(failure(afterConnectV311(bytes(0x30, 3, 0, 1, '#'))))
        .isEqualTo(ReasonCode.TOPIC_NAME_INVALID);
  }

  @Test
  @DisplayName("[MQTT-2.2.1-3] QoS 1 PUBLISH with packet id 0 is a protocol error")
  void publish_packetId0_protocolError() {
    assertThat(failure(afterConnectV5(bytes(0x32, 6, 0, 1, 't', 0, 0, 0)))).isEqualTo(ReasonCode.PROTOCOL_ERROR);
  }

  @Test
  @DisplayName("[MQTT-2.3.1-1] 3.1.1: QoS 2 PUBLISH with packet id 0 is rejected")
  void publishV311_packetId0_rejected() {
    assertThat(afterConnectV311(bytes(0x34, 5, 0, 1, 't', 0, 0))).isInstanceOf(DecodeFailure.class);
  }

  @Test
  @DisplayName("[MQTT-3.3.4-6] 5.0: a client's PUBLISH with a subscription identifier is a protocol error")
  void publishFromClient_subscriptionIdentifier_protocolError() {
    assertThat(failure(afterConnectV5(bytes(0x30, 6, 0, 1, 't', 2, 0x0B, 1))))
        .isEqualTo(ReasonCode.PROTOCOL_ERROR);
  }

  @Test
  void publishFromServer_severalSubscriptionIdentifiers_decode() {
    PublishPacket p = (PublishPacket) client(MqttVersion.V5, bytes(
        0x30, 10, //              PUBLISH QoS 0, remaining length 10
        0, 1, 't', //             topic "t"
        5, //                     property length 5
        0x0B, 1, //               subscription identifier 1
        0x0B, 0x80, 0x01, //      subscription identifier 128 (two-byte variable byte integer)
        'p')); //                 payload
    assertThat(p.properties().subscriptionIdentifiers()).containsExactly(1, 128);
  }

  @Test
  void publishFromServer_subscriptionIdentifier0_protocolError() {
    assertThat(failure(client(MqttVersion.V5, bytes(0x30, 6, 0, 1, 't', 2, 0x0B, 0))))
        .isEqualTo(ReasonCode.PROTOCOL_ERROR);
  }

  @Test
  void publishV5_responseTopicWithWildcard_protocolError() {
    assertThat(failure(afterConnectV5(bytes(0x30, 9, 0, 1, 't', 5, 0x08, 0, 2, 'a', '#'))))
        .isEqualTo(ReasonCode.PROTOCOL_ERROR);
  }

  @Test
  void publishV5_payloadFormat2_protocolError() {
    assertThat(failure(afterConnectV5(bytes(0x30, 6, 0, 1, 't', 2, 0x01, 2))))
        .isEqualTo(ReasonCode.PROTOCOL_ERROR);
  }

  @Test
  void publishV5_payloadNotUtf8DespiteFormat_isLeftToTheBroker() {
    PublishPacket p = (PublishPacket) afterConnectV5(bytes(0x30, 7, 0, 1, 't', 2, 0x01, 1, 0xFF));
    assertThat(p.isPayloadFormatValid()).isFalse();
  }

  @Test
  void publishV5_propertyLengthBeyondPacket_malformed() {
    assertThat(failure(afterConnectV5(bytes(0x30, 6, 0, 1, 't', 9, 0x01, 1))))
        .isEqualTo(ReasonCode.MALFORMED_PACKET);
  }

  @Test
  void publish_topicLengthBeyondPacket_malformed() {
    assertThat(failure(afterConnectV311(bytes(0x30, 3, 0, 5, 't')))).isEqualTo(ReasonCode.MALFORMED_PACKET);
  }

  @Test
  @DisplayName("[MQTT-1.5.4-1] control characters U+0001..U+001F and U+007F..U+009F are allowed")
  void publish_controlCharactersInTopic_areAllowed() {
    PublishPacket p = (PublishPacket) afterConnectV311(bytes(
        0x30, 9, //               PUBLISH QoS 0, remaining length 9
        0, 7, //                  topic length 7
        0x01, 0x1F, 0x7F, //      U+0001, U+001F, U+007F
        0xC2, 0x80, //            U+0080
        0xC2, 0x9F)); //          U+009F
    assertThat(p.topic()).isEqualTo("\u0001\u001f\u007f\u0080\u009f");
  }
}
