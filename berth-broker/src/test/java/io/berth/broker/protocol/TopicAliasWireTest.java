package io.berth.broker.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.broker.Berth;
import io.berth.codec.ConnackPacket;
import io.berth.codec.ConnectPacket;
import io.berth.codec.MqttProperties;
import io.berth.codec.MqttVersion;
import io.berth.codec.PublishPacket;
import io.berth.codec.QoS;
import io.berth.codec.ReasonCode;
import io.berth.codec.SubackPacket;
import io.berth.codec.SubscribePacket;
import io.berth.codec.TopicSubscription;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Topic aliases that the broker uses towards 5.0 clients (section 3.3.2.3.4), on the wire. */
class TopicAliasWireTest {
  private Berth berth;

  @BeforeEach
  void start() {
    berth = Berth.builder().port(0).build().start();
  }

  @AfterEach
  void stop() {
    berth.close();
  }

  @Test
  @DisplayName("[MQTT-3.1.2-26] a client that accepts aliases gets the topic and an alias first, then only the alias")
  void clientAcceptingAliases_firstPublishNamesTopicThenAliasOnly() throws Exception {
    try (RawClient c = new RawClient(berth.port(), MqttVersion.V5)) {
      // CONNECT, 5.0, clean start, keep alive 0
      c.send(0x10, 0x17,
          0x00, 0x04, 'M', 'Q', 'T', 'T', // protocol name
          0x05, //                           protocol level 5
          0x02, //                           flags: clean start
          0x00, 0x00, //                     keep alive 0
          0x03, //                           properties: 3 bytes
          0x22, 0x00, 0x01, //               Topic Alias Maximum 1
          0x00, 0x07, 'a', 'l', 'i', 'a', 's', 'e', 's'); // client id "aliases"
      assertThat(c.receive(ConnackPacket.class).reasonCode()).isEqualTo(ReasonCode.SUCCESS);
      subscribe(c, "alias/#");

      for (String topic : List.of("alias/one", "alias/one", "alias/two", "alias/one")) {
        c.send(new PublishPacket(topic, QoS.AT_MOST_ONCE, false, false, 0, payload(), MqttProperties.EMPTY));
      }
      PublishPacket first = c.receive(PublishPacket.class);
      PublishPacket second = c.receive(PublishPacket.class);
      PublishPacket other = c.receive(PublishPacket.class);
      PublishPacket third = c.receive(PublishPacket.class);

      assertThat(first.topic()).isEqualTo("alias/one");
      assertThat(first.properties().topicAlias()).isEqualTo(1);
      assertThat(second.topic()).isEmpty();
      assertThat(second.properties().topicAlias()).isEqualTo(1);
      // the only alias is taken: another topic travels by name
      assertThat(other.topic()).isEqualTo("alias/two");
      assertThat(other.properties().topicAlias()).isNull();
      assertThat(third.topic()).isEmpty();
      assertThat(third.properties().topicAlias()).isEqualTo(1);
    }
  }

  @Test
  @DisplayName("[MQTT-3.1.2-27] a client without Topic Alias Maximum gets no aliases")
  void clientWithoutTopicAliasMaximum_getsTopicNames() throws Exception {
    try (RawClient c = new RawClient(berth.port(), MqttVersion.V5)) {
      c.send(new ConnectPacket(MqttVersion.V5, "no-aliases", true, 0, null, null, null, MqttProperties.EMPTY));
      assertThat(c.receive(ConnackPacket.class).reasonCode()).isEqualTo(ReasonCode.SUCCESS);
      subscribe(c, "plain/#");

      for (int i = 0; i < 2; i++) {
        c.send(new PublishPacket("plain/topic", QoS.AT_MOST_ONCE, false, false, 0, payload(),
            MqttProperties.EMPTY));
      }
      for (int i = 0; i < 2; i++) {
        PublishPacket p = c.receive(PublishPacket.class);
        assertThat(p.topic()).isEqualTo("plain/topic");
        assertThat(p.properties().topicAlias()).isNull();
      }
    }
  }

  private static void subscribe(RawClient c, String filter) throws Exception {
    c.send(new SubscribePacket(1, List.of(TopicSubscription.of(filter, QoS.AT_MOST_ONCE)), MqttProperties.EMPTY));
    assertThat(c.receive(SubackPacket.class).packetId()).isEqualTo(1);
  }

  private static byte[] payload() {
    return "m".getBytes(StandardCharsets.UTF_8);
  }
}
