package io.berth.codec;

import static io.berth.codec.Wire.afterConnectV311;
import static io.berth.codec.Wire.afterConnectV5;
import static io.berth.codec.Wire.bytes;
import static io.berth.codec.Wire.failure;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** SUBSCRIBE and UNSUBSCRIBE. */
class SubscribeDecoderTest {

  @Test
  void subscribeV311_twoFilters_decodes() {
    SubscribePacket p = (SubscribePacket) afterConnectV311(bytes(
        0x82, 12, //              SUBSCRIBE, remaining length 12
        0, 5, //                  packet id 5
        0, 3, 'a', '/', '#', //   filter "a/#"
        0x01, //                  QoS 1
        0, 1, '+', //             filter "+"
        0x02)); //                QoS 2
    assertThat(p.packetId()).isEqualTo(5);
    assertThat(p.subscriptions()).containsExactly(
        TopicSubscription.of("a/#", QoS.AT_LEAST_ONCE), TopicSubscription.of("+", QoS.EXACTLY_ONCE));
    assertThat(p.properties()).isEqualTo(MqttProperties.EMPTY);
  }

  @Test
  void subscribeV5_optionsAndSubscriptionIdentifier_decode() {
    SubscribePacket p = (SubscribePacket) afterConnectV5(bytes(
        0x82, 18, //                      SUBSCRIBE, remaining length 18
        0, 5, //                          packet id 5
        11, //                            property length 11
        0x0B, 0xFF, 0xFF, 0xFF, 0x7F, //  subscription identifier 268435455
        0x26, 0, 1, 'k', 0, 0, //         user property k=""
        0, 1, 'x', //                     filter "x"
        0x2D)); //                        retain handling 2, retain as published, no local, QoS 1
    assertThat(p.properties().subscriptionIdentifiers()).containsExactly(268_435_455);
    assertThat(p.properties().userProperties()).containsExactly(new UserProperty("k", ""));
    assertThat(p.subscriptions()).containsExactly(
        new TopicSubscription("x", QoS.AT_LEAST_ONCE, true, true, RetainHandling.DO_NOT_SEND));
  }

  @Test
  @DisplayName("[MQTT-3.8.1-1] SUBSCRIBE with flags other than 0010 is malformed")
  void subscribeWrongFlags_malformed() {
    assertThat(failure(afterConnectV311(bytes(0x80, 6, 0, 1, 0, 1, 't', 0))))
        .isEqualTo(ReasonCode.MALFORMED_PACKET);
  }

  @Test
  @DisplayName("[MQTT-3.8.3-2] 5.0: SUBSCRIBE without filters is a protocol error")
  void subscribeV5_noFilters_protocolError() {
    assertThat(failure(afterConnectV5(bytes(0x82, 3, 0, 1, 0)))).isEqualTo(ReasonCode.PROTOCOL_ERROR);
  }

  @Test
  @DisplayName("[MQTT-3.8.3-3] 3.1.1: SUBSCRIBE without filters is malformed")
  void subscribeV311_noFilters_malformed() {
    assertThat(failure(afterConnectV311(bytes(0x82, 2, 0, 1)))).isEqualTo(ReasonCode.MALFORMED_PACKET);
  }

  @Test
  @DisplayName("[MQTT-3-8.3-4] 3.1.1: reserved bits in the requested QoS byte are malformed")
  void subscribeV311_reservedBits_malformed() {
    assertThat(failure(afterConnectV311(bytes(0x82, 6, 0, 1, 0, 1, 't', 0x04))))
        .isEqualTo(ReasonCode.MALFORMED_PACKET);
  }

  @Test
  @DisplayName("[MQTT-3-8.3-4] 3.1.1: requested QoS 3 is malformed")
  void subscribeV311_qos3_malformed() {
    assertThat(failure(afterConnectV311(bytes(0x82, 6, 0, 1, 0, 1, 't', 0x03))))
        .isEqualTo(ReasonCode.MALFORMED_PACKET);
  }

  @Test
  @DisplayName("[MQTT-3.8.3-5] 5.0: reserved bits in subscription options are malformed")
  void subscribeV5_reservedBits_malformed() {
    assertThat(failure(afterConnectV5(bytes(0x82, 7, 0, 1, 0, 0, 1, 't', 0x40))))
        .isEqualTo(ReasonCode.MALFORMED_PACKET);
  }

  @Test
  void subscribeV5_retainHandling3_protocolError() {
    assertThat(failure(afterConnectV5(bytes(0x82, 7, 0, 1, 0, 0, 1, 't', 0x30))))
        .isEqualTo(ReasonCode.PROTOCOL_ERROR);
  }

  @Test
  void subscribeV5_qos3_protocolError() {
    assertThat(failure(afterConnectV5(bytes(0x82, 7, 0, 1, 0, 0, 1, 't', 0x03))))
        .isEqualTo(ReasonCode.PROTOCOL_ERROR);
  }

  @Test
  @DisplayName("[MQTT-3.8.3-4] 5.0: no local on a shared subscription is a protocol error")
  void subscribeV5_noLocalShared_protocolError() {
    assertThat(failure(afterConnectV5(bytes(
        0x82, 16, 0, 1, 0,
        0, 10, '$', 's', 'h', 'a', 'r', 'e', '/', 'g', '/', 't', // filter "$share/g/t"
        0x04)))) //                                                  no local
        .isEqualTo(ReasonCode.PROTOCOL_ERROR);
  }

  @Test
  void subscribeV5_twoSubscriptionIdentifiers_protocolError() {
    assertThat(failure(afterConnectV5(bytes(
        0x82, 11, 0, 1,
        4, 0x0B, 1, 0x0B, 2, //           subscription identifier twice
        0, 1, 't', 0)))).isEqualTo(ReasonCode.PROTOCOL_ERROR);
  }

  @Test
  void subscribeV5_subscriptionIdentifier0_protocolError() {
    assertThat(failure(afterConnectV5(bytes(0x82, 9, 0, 1, 2, 0x0B, 0, 0, 1, 't', 0))))
        .isEqualTo(ReasonCode.PROTOCOL_ERROR);
  }

  @Test
  void subscribeV5_subscriptionIdentifierOver4Bytes_malformed() {
    assertThat(failure(afterConnectV5(bytes(
        0x82, 13, 0, 1,
        6, 0x0B, 0x80, 0x80, 0x80, 0x80, 0x01, // a five-byte variable byte integer
        0, 1, 't', 0)))).isEqualTo(ReasonCode.MALFORMED_PACKET);
  }

  @Test
  void subscribe_filterWithoutOptions_malformed() {
    assertThat(failure(afterConnectV311(bytes(0x82, 5, 0, 1, 0, 1, 't')))).isEqualTo(ReasonCode.MALFORMED_PACKET);
  }

  @Test
  void subscribe_invalidFilterSyntax_isLeftToTheBroker() {
    SubscribePacket p = (SubscribePacket) afterConnectV5(bytes(0x82, 8, 0, 1, 0, 0, 2, 'a', '#', 0));
    assertThat(p.subscriptions().get(0).filter()).isEqualTo("a#");
  }

  @Test
  void unsubscribeV311_decodes() {
    UnsubscribePacket p = (UnsubscribePacket) afterConnectV311(bytes(
        0xA2, 9, //               UNSUBSCRIBE, remaining length 9
        0, 7, //                  packet id 7
        0, 1, 'a', //             filter "a"
        0, 2, 'b', '/')); //      filter "b/"
    assertThat(p.packetId()).isEqualTo(7);
    assertThat(p.filters()).containsExactly("a", "b/");
  }

  @Test
  void unsubscribeV5_withUserProperty_decodes() {
    UnsubscribePacket p = (UnsubscribePacket) afterConnectV5(bytes(
        0xA2, 13, //                          UNSUBSCRIBE, remaining length 13
        0, 7, //                              packet id 7
        7, 0x26, 0, 1, 'k', 0, 1, 'v', //     user property k=v
        0, 1, 'a')); //                       filter "a"
    assertThat(p.filters()).containsExactly("a");
    assertThat(p.properties().userProperties()).containsExactly(new UserProperty("k", "v"));
  }

  @Test
  @DisplayName("[MQTT-3.10.3-2] UNSUBSCRIBE without filters is rejected")
  void unsubscribe_noFilters_rejected() {
    assertThat(failure(afterConnectV5(bytes(0xA2, 3, 0, 1, 0)))).isEqualTo(ReasonCode.PROTOCOL_ERROR);
    assertThat(failure(afterConnectV311(bytes(0xA2, 2, 0, 1)))).isEqualTo(ReasonCode.MALFORMED_PACKET);
  }

  @Test
  @DisplayName("[MQTT-3.10.1-1] UNSUBSCRIBE with flags other than 0010 is malformed")
  void unsubscribeWrongFlags_malformed() {
    assertThat(failure(afterConnectV311(bytes(0xA0, 5, 0, 1, 0, 1, 't')))).isEqualTo(ReasonCode.MALFORMED_PACKET);
  }

  @Test
  void unsubscribeV5_subscriptionIdentifier_malformed() {
    assertThat(failure(afterConnectV5(bytes(0xA2, 8, 0, 1, 2, 0x0B, 1, 0, 1, 't'))))
        .isEqualTo(ReasonCode.MALFORMED_PACKET);
  }
}
