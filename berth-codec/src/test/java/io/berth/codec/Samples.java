package io.berth.codec;

import java.util.ArrayList;
import java.util.List;

/**
 * Valid packets of every type, for each version and direction, with as many properties as the packet
 * type allows on 5.0. Used by the round-trip, cross-decode and mutation tests.
 */
final class Samples {
  private static final List<UserProperty> USER = List.of(
      new UserProperty("region", "eu"), new UserProperty("region", "us"), new UserProperty("", "é€𝄞"));

  private Samples() {}

  static ConnectPacket connect(MqttVersion v) {
    if (!v.isV5()) {
      return new ConnectPacket(v, "client-1", true, 30, "user", new byte[] {1, 2, 3},
          new Will("will/topic", new byte[] {'b', 'y', 'e'}, QoS.AT_LEAST_ONCE, true, MqttProperties.EMPTY),
          MqttProperties.EMPTY);
    }
    MqttProperties willProps = MqttProperties.builder()
        .willDelayInterval(10L)
        .payloadFormatIndicator(1)
        .messageExpiryInterval(3600L)
        .contentType("text/plain")
        .responseTopic("reply/here")
        .correlationData(new byte[] {4, 5})
        .userProperties(USER)
        .build();
    MqttProperties props = MqttProperties.builder()
        .sessionExpiryInterval(0xFFFF_FFFFL)
        .receiveMaximum(100)
        .maximumPacketSize(65_536L)
        .topicAliasMaximum(10)
        .requestResponseInformation(1)
        .requestProblemInformation(0)
        .userProperties(USER)
        .authenticationMethod("SCRAM-SHA-1")
        .authenticationData(new byte[] {9, 8, 7})
        .build();
    return new ConnectPacket(v, "client-5", false, 65_535, "user", new byte[] {0, (byte) 0xFF},
        new Will("will/topic", "bye".getBytes(java.nio.charset.StandardCharsets.UTF_8),
            QoS.EXACTLY_ONCE, false, willProps),
        props);
  }

  /** Packets a client sends, CONNECT first. */
  static List<MqttPacket> fromClient(MqttVersion v) {
    List<MqttPacket> list = new ArrayList<>();
    list.add(connect(v));
    list.addAll(publishes(v, false));
    list.addAll(acks(v));
    if (v.isV5()) {
      MqttProperties subProps = MqttProperties.builder()
          .subscriptionIdentifiers(List.of(268_435_455)).userProperties(USER).build();
      list.add(new SubscribePacket(1, List.of(
          TopicSubscription.of("a/+/c", QoS.AT_MOST_ONCE),
          new TopicSubscription("sport/#", QoS.AT_LEAST_ONCE, true, true, RetainHandling.DO_NOT_SEND),
          new TopicSubscription("$share/g/x", QoS.EXACTLY_ONCE, false, false,
              RetainHandling.SEND_IF_NEW_SUBSCRIPTION)), subProps));
      list.add(new UnsubscribePacket(65_535, List.of("a/+/c", "sport/#"),
          MqttProperties.builder().userProperties(USER).build()));
      list.add(new DisconnectPacket(ReasonCode.DISCONNECT_WITH_WILL_MESSAGE, MqttProperties.builder()
          .sessionExpiryInterval(60L).reasonString("bye").userProperties(USER).build()));
      list.add(DisconnectPacket.of(ReasonCode.UNSPECIFIED_ERROR));
      list.add(auth());
      list.add(new AuthPacket(ReasonCode.SUCCESS, MqttProperties.EMPTY));
    } else {
      list.add(new SubscribePacket(1, List.of(
          TopicSubscription.of("a/+/c", QoS.AT_MOST_ONCE), TopicSubscription.of("sport/#", QoS.EXACTLY_ONCE)),
          MqttProperties.EMPTY));
      list.add(new UnsubscribePacket(65_535, List.of("a/+/c", "sport/#"), MqttProperties.EMPTY));
    }
    list.add(PingreqPacket.INSTANCE);
    list.add(DisconnectPacket.NORMAL);
    return list;
  }

  /** Packets a server sends. */
  static List<MqttPacket> fromServer(MqttVersion v) {
    List<MqttPacket> list = new ArrayList<>();
    if (v.isV5()) {
      list.add(new ConnackPacket(true, ReasonCode.SUCCESS, MqttProperties.builder()
          .sessionExpiryInterval(120L)
          .receiveMaximum(20)
          .maximumQos(1)
          .retainAvailable(0)
          .maximumPacketSize(1_000_000L)
          .assignedClientIdentifier("auto-1")
          .topicAliasMaximum(5)
          .reasonString("welcome")
          .userProperties(USER)
          .wildcardSubscriptionAvailable(1)
          .subscriptionIdentifierAvailable(0)
          .sharedSubscriptionAvailable(1)
          .serverKeepAlive(45)
          .responseInformation("resp/")
          .serverReference("other:1883")
          .authenticationMethod("SCRAM-SHA-1")
          .authenticationData(new byte[] {1})
          .build()));
      list.add(new ConnackPacket(false, ReasonCode.BANNED, MqttProperties.EMPTY));
      list.add(new SubackPacket(2, List.of(ReasonCode.SUCCESS, ReasonCode.GRANTED_QOS_2,
          ReasonCode.TOPIC_FILTER_INVALID, ReasonCode.SHARED_SUBSCRIPTIONS_NOT_SUPPORTED),
          MqttProperties.builder().reasonString("partly").userProperties(USER).build()));
      list.add(new UnsubackPacket(3, List.of(ReasonCode.SUCCESS, ReasonCode.NO_SUBSCRIPTION_EXISTED),
          MqttProperties.builder().reasonString("r").build()));
      list.add(new DisconnectPacket(ReasonCode.SERVER_MOVED, MqttProperties.builder()
          .serverReference("elsewhere").reasonString("moved").userProperties(USER).build()));
      list.add(DisconnectPacket.of(ReasonCode.SESSION_TAKEN_OVER));
      list.add(auth());
    } else {
      list.add(new ConnackPacket(true, ReasonCode.SUCCESS, MqttProperties.EMPTY));
      list.add(new ConnackPacket(false, ReasonCode.NOT_AUTHORIZED, MqttProperties.EMPTY));
      list.add(new SubackPacket(2, List.of(ReasonCode.SUCCESS, ReasonCode.GRANTED_QOS_1,
          ReasonCode.GRANTED_QOS_2, ReasonCode.UNSPECIFIED_ERROR), MqttProperties.EMPTY));
      list.add(new UnsubackPacket(3, List.of(), MqttProperties.EMPTY));
    }
    list.addAll(publishes(v, true));
    list.addAll(acks(v));
    list.add(PingrespPacket.INSTANCE);
    return list;
  }

  private static AuthPacket auth() {
    return new AuthPacket(ReasonCode.CONTINUE_AUTHENTICATION, MqttProperties.builder()
        .authenticationMethod("SCRAM-SHA-1")
        .authenticationData(new byte[] {1, 2, 3})
        .reasonString("more")
        .userProperties(USER)
        .build());
  }

  private static List<MqttPacket> publishes(MqttVersion v, boolean fromServer) {
    byte[] payload = new byte[300];
    for (int i = 0; i < payload.length; i++) {
      payload[i] = (byte) i;
    }
    MqttProperties props = MqttProperties.EMPTY;
    MqttProperties aliasOnly = MqttProperties.EMPTY;
    if (v.isV5()) {
      MqttProperties.Builder b = MqttProperties.builder()
          .payloadFormatIndicator(0)
          .messageExpiryInterval(1L)
          .topicAlias(65_535)
          .responseTopic("reply/to")
          .correlationData(new byte[] {42})
          .contentType("application/octet-stream")
          .userProperties(USER);
      if (fromServer) {
        b.subscriptionIdentifiers(List.of(1, 127, 128, 16_383, 16_384, 268_435_455));
      }
      props = b.build();
      aliasOnly = MqttProperties.builder().topicAlias(1).build();
    }
    List<MqttPacket> list = new ArrayList<>();
    list.add(new PublishPacket("a/b", QoS.AT_MOST_ONCE, false, false, 0, new byte[0], MqttProperties.EMPTY));
    list.add(new PublishPacket("sensors/é/temp", QoS.AT_LEAST_ONCE, true, false, 1, payload, props));
    list.add(new PublishPacket("x", QoS.EXACTLY_ONCE, false, true, 65_535, new byte[] {1}, MqttProperties.EMPTY));
    if (v.isV5()) {
      list.add(new PublishPacket("", QoS.AT_LEAST_ONCE, false, false, 7, new byte[] {2}, aliasOnly));
    }
    return list;
  }

  private static List<MqttPacket> acks(MqttVersion v) {
    List<MqttPacket> list = new ArrayList<>();
    list.add(PubackPacket.of(1));
    list.add(PubrecPacket.of(2));
    list.add(PubrelPacket.of(3));
    list.add(PubcompPacket.of(65_535));
    if (v.isV5()) {
      MqttProperties props = MqttProperties.builder().reasonString("why").userProperties(USER).build();
      list.add(new PubackPacket(4, ReasonCode.NO_MATCHING_SUBSCRIBERS, MqttProperties.EMPTY));
      list.add(new PubackPacket(5, ReasonCode.PAYLOAD_FORMAT_INVALID, props));
      list.add(new PubrecPacket(6, ReasonCode.SUCCESS, props));
      list.add(new PubrelPacket(7, ReasonCode.PACKET_IDENTIFIER_NOT_FOUND, MqttProperties.EMPTY));
      list.add(new PubcompPacket(8, ReasonCode.PACKET_IDENTIFIER_NOT_FOUND, props));
    }
    return list;
  }
}
