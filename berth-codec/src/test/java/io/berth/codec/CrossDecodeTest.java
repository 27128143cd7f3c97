package io.berth.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties.UserProperties;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttSubscriptionOption.RetainedHandlingPolicy;
import io.netty.handler.codec.mqtt.MqttTopicSubscription;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Bytes from our encoder, decoded by netty-codec-mqtt as an independent peer. */
class CrossDecodeTest {
  private static final int NETTY = io.netty.handler.codec.mqtt.MqttProperties.USER_PROPERTY;

  private EmbeddedChannel peer;
  private final List<Object> decoded = new ArrayList<>();

  @BeforeEach
  void setUp() {
    peer = new EmbeddedChannel(new io.netty.handler.codec.mqtt.MqttDecoder(1 << 20));
  }

  @AfterEach
  void tearDown() {
    decoded.forEach(ReferenceCountUtil::release);
    peer.finishAndReleaseAll();
  }

  private MqttMessage send(MqttPacket packet, MqttVersion v) {
    peer.writeInbound(Unpooled.wrappedBuffer(Wire.encode(packet, v)));
    MqttMessage m = peer.readInbound();
    assertThat(m).as(packet.type().name()).isNotNull();
    decoded.add(m);
    assertThat(m.decoderResult().isSuccess()).as("%s: %s", packet.type(), m.decoderResult()).isTrue();
    return m;
  }

  @Test
  void connectV5_withWillAndProperties() {
    ConnectPacket c = Samples.connect(MqttVersion.V5);
    MqttConnectMessage m = (MqttConnectMessage) send(c, MqttVersion.V5);
    assertThat(m.variableHeader().name()).isEqualTo("MQTT");
    assertThat(m.variableHeader().version()).isEqualTo(5);
    assertThat(m.variableHeader().isCleanSession()).isFalse();
    assertThat(m.variableHeader().keepAliveTimeSeconds()).isEqualTo(65_535);
    assertThat(m.variableHeader().willQos()).isEqualTo(2);
    assertThat(m.payload().clientIdentifier()).isEqualTo("client-5");
    assertThat(m.payload().willTopic()).isEqualTo("will/topic");
    assertThat(m.payload().willMessageInBytes()).isEqualTo(c.will().payload());
    assertThat(m.payload().userName()).isEqualTo("user");
    assertThat(m.payload().passwordInBytes()).isEqualTo(c.password());
    io.netty.handler.codec.mqtt.MqttProperties p = m.variableHeader().properties();
    assertThat(p.getProperty(io.netty.handler.codec.mqtt.MqttProperties.SESSION_EXPIRY_INTERVAL).value())
        .isEqualTo(-1); // 0xFFFFFFFF as a Java int
    assertThat(p.getProperty(io.netty.handler.codec.mqtt.MqttProperties.RECEIVE_MAXIMUM).value()).isEqualTo(100);
    assertThat(p.getProperty(io.netty.handler.codec.mqtt.MqttProperties.AUTHENTICATION_METHOD).value())
        .isEqualTo("SCRAM-SHA-1");
    assertThat(((UserProperties) p.getProperty(NETTY)).value()).hasSize(3);
    io.netty.handler.codec.mqtt.MqttProperties wp = m.payload().willProperties();
    assertThat(wp.getProperty(io.netty.handler.codec.mqtt.MqttProperties.WILL_DELAY_INTERVAL).value()).isEqualTo(10);
    assertThat(wp.getProperty(io.netty.handler.codec.mqtt.MqttProperties.RESPONSE_TOPIC).value())
        .isEqualTo("reply/here");
  }

  @Test
  void clientPacketsV311() {
    MqttConnectMessage c = (MqttConnectMessage) send(Samples.connect(MqttVersion.V3_1_1), MqttVersion.V3_1_1);
    assertThat(c.variableHeader().version()).isEqualTo(4);
    assertThat(c.variableHeader().isWillRetain()).isTrue();
    assertThat(c.payload().passwordInBytes()).containsExactly(1, 2, 3);

    PublishPacket publish = new PublishPacket("a/b", QoS.EXACTLY_ONCE, true, true, 77, new byte[] {5, 6},
        MqttProperties.EMPTY);
    MqttPublishMessage pm = (MqttPublishMessage) send(publish, MqttVersion.V3_1_1);
    assertThat(pm.fixedHeader().isDup()).isTrue();
    assertThat(pm.fixedHeader().isRetain()).isTrue();
    assertThat(pm.fixedHeader().qosLevel().value()).isEqualTo(2);
    assertThat(pm.variableHeader().topicName()).isEqualTo("a/b");
    assertThat(pm.variableHeader().packetId()).isEqualTo(77);
    assertThat(ByteBufUtil.getBytes(pm.payload())).containsExactly(5, 6);

    MqttSubscribeMessage sm = (MqttSubscribeMessage) send(new SubscribePacket(3,
        List.of(TopicSubscription.of("x/#", QoS.AT_LEAST_ONCE)), MqttProperties.EMPTY), MqttVersion.V3_1_1);
    assertThat(sm.payload().topicSubscriptions()).extracting(MqttTopicSubscription::topicFilter).containsExactly("x/#");

    MqttUnsubscribeMessage um = (MqttUnsubscribeMessage) send(
        new UnsubscribePacket(4, List.of("a", "b"), MqttProperties.EMPTY), MqttVersion.V3_1_1);
    assertThat(um.payload().topics()).containsExactly("a", "b");

    assertThat(send(PubrelPacket.of(9), MqttVersion.V3_1_1).fixedHeader().messageType())
        .isEqualTo(MqttMessageType.PUBREL);
    assertThat(send(PingreqPacket.INSTANCE, MqttVersion.V3_1_1).fixedHeader().messageType())
        .isEqualTo(MqttMessageType.PINGREQ);
  }

  @Test
  void clientPacketsV5() {
    send(Samples.connect(MqttVersion.V5), MqttVersion.V5);

    PublishPacket publish = (PublishPacket) Samples.fromClient(MqttVersion.V5).stream()
        .filter(p -> p instanceof PublishPacket pp && pp.qos() == QoS.AT_LEAST_ONCE && !pp.topic().isEmpty())
        .findFirst().orElseThrow();
    MqttPublishMessage pm = (MqttPublishMessage) send(publish, MqttVersion.V5);
    assertThat(pm.variableHeader().topicName()).isEqualTo(publish.topic());
    assertThat(ByteBufUtil.getBytes(pm.payload())).isEqualTo(publish.payload());
    io.netty.handler.codec.mqtt.MqttProperties p = pm.variableHeader().properties();
    assertThat(p.getProperty(io.netty.handler.codec.mqtt.MqttProperties.TOPIC_ALIAS).value()).isEqualTo(65_535);
    assertThat(p.getProperty(io.netty.handler.codec.mqtt.MqttProperties.CONTENT_TYPE).value())
        .isEqualTo("application/octet-stream");

    MqttSubscribeMessage sm = (MqttSubscribeMessage) send(new SubscribePacket(3, List.of(
        new TopicSubscription("s/#", QoS.AT_LEAST_ONCE, true, true, RetainHandling.DO_NOT_SEND)),
        MqttProperties.builder().subscriptionIdentifiers(List.of(300)).build()), MqttVersion.V5);
    MqttTopicSubscription sub = sm.payload().topicSubscriptions().get(0);
    assertThat(sub.option().isNoLocal()).isTrue();
    assertThat(sub.option().isRetainAsPublished()).isTrue();
    assertThat(sub.option().retainHandling()).isEqualTo(RetainedHandlingPolicy.DONT_SEND_AT_SUBSCRIBE);
    assertThat(sm.idAndPropertiesVariableHeader().properties()
        .getProperty(io.netty.handler.codec.mqtt.MqttProperties.SUBSCRIPTION_IDENTIFIER).value()).isEqualTo(300);

    MqttMessage ack = send(new PubackPacket(5, ReasonCode.NO_MATCHING_SUBSCRIBERS, MqttProperties.EMPTY),
        MqttVersion.V5);
    assertThat(((MqttPubReplyMessageVariableHeader) ack.variableHeader()).reasonCode()).isEqualTo((byte) 0x10);

    MqttMessage disconnect = send(DisconnectPacket.of(ReasonCode.DISCONNECT_WITH_WILL_MESSAGE), MqttVersion.V5);
    assertThat(((MqttReasonCodeAndPropertiesVariableHeader) disconnect.variableHeader()).reasonCode())
        .isEqualTo((byte) 0x04);
  }

  @Test
  void serverPacketsV5() {
    send(Samples.connect(MqttVersion.V5), MqttVersion.V5); // tells the peer the version

    ConnackPacket connack = (ConnackPacket) Samples.fromServer(MqttVersion.V5).get(0);
    MqttConnAckMessage cm = (MqttConnAckMessage) send(connack, MqttVersion.V5);
    assertThat(cm.variableHeader().isSessionPresent()).isTrue();
    io.netty.handler.codec.mqtt.MqttProperties p = cm.variableHeader().properties();
    assertThat(p.getProperty(io.netty.handler.codec.mqtt.MqttProperties.ASSIGNED_CLIENT_IDENTIFIER).value())
        .isEqualTo("auto-1");
    assertThat(p.getProperty(io.netty.handler.codec.mqtt.MqttProperties.MAXIMUM_PACKET_SIZE).value())
        .isEqualTo(1_000_000);
    assertThat(p.getProperty(io.netty.handler.codec.mqtt.MqttProperties.SERVER_KEEP_ALIVE).value()).isEqualTo(45);

    MqttSubAckMessage sa = (MqttSubAckMessage) send(new SubackPacket(2,
        List.of(ReasonCode.GRANTED_QOS_1, ReasonCode.TOPIC_FILTER_INVALID), MqttProperties.EMPTY), MqttVersion.V5);
    assertThat(sa.payload().reasonCodes()).containsExactly(0x01, 0x8F);

    PublishPacket publish = new PublishPacket("t", QoS.AT_MOST_ONCE, false, false, 0, new byte[] {1},
        MqttProperties.builder().subscriptionIdentifiers(List.of(1, 200_000)).build());
    MqttPublishMessage pm = (MqttPublishMessage) send(publish, MqttVersion.V5);
    assertThat(pm.variableHeader().properties()
        .getProperties(io.netty.handler.codec.mqtt.MqttProperties.SUBSCRIPTION_IDENTIFIER))
        .extracting(io.netty.handler.codec.mqtt.MqttProperties.MqttProperty::value)
        .containsExactly(1, 200_000);
  }

  @Test
  void serverPacketsV311() {
    send(Samples.connect(MqttVersion.V3_1_1), MqttVersion.V3_1_1);
    MqttConnAckMessage cm = (MqttConnAckMessage) send(
        new ConnackPacket(false, ReasonCode.SERVER_BUSY, MqttProperties.EMPTY), MqttVersion.V3_1_1);
    assertThat(cm.variableHeader().connectReturnCode().byteValue()).isEqualTo((byte) 3);
    MqttSubAckMessage sa = (MqttSubAckMessage) send(new SubackPacket(2,
        List.of(ReasonCode.GRANTED_QOS_2, ReasonCode.NOT_AUTHORIZED), MqttProperties.EMPTY), MqttVersion.V3_1_1);
    assertThat(sa.payload().grantedQoSLevels()).containsExactly(2, 0x80);
  }
}
