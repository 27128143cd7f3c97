package io.berth.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.codec.ConnackPacket;
import io.berth.codec.MqttProperties;
import io.berth.codec.MqttVersion;
import io.berth.codec.PublishPacket;
import io.berth.codec.QoS;
import io.berth.codec.ReasonCode;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Topic aliases that the broker uses towards 5.0 clients (section 3.3.2.3.4), over raw sockets. */
class TopicAliasTest {
  private final TestBroker broker = new TestBroker();

  @AfterEach
  void stop() {
    broker.close();
  }

  @Test
  @DisplayName("[MQTT-3.1.2-26] a client that accepts aliases gets the topic and an alias first, then only the alias")
  void clientAcceptingAliases_firstPublishNamesTopicThenAliasOnly() throws Exception {
    try (RawClient c = RawClient.open(broker.port(), MqttVersion.V5)) {
      c.sendHex("10 17" //                 CONNECT, remaining length 23
          + "00 04 4d 51 54 54" //           protocol name "MQTT"
          + "05" //                          protocol level 5
          + "02" //                          flags: clean start
          + "00 00" //                       keep alive 0
          + "03 22 00 01" //                 properties: Topic Alias Maximum 1
          + "00 07 61 6c 69 61 73 65 73"); // client id "aliases"
      assertThat(c.expect(ConnackPacket.class).reasonCode()).isEqualTo(ReasonCode.SUCCESS);
      c.subscribe(1, "alias/#", QoS.AT_MOST_ONCE);

      for (String topic : List.of("alias/one", "alias/one", "alias/two", "alias/one")) {
        c.publish(topic, QoS.AT_MOST_ONCE, 0, "m");
      }
      PublishPacket first = c.expect(PublishPacket.class);
      PublishPacket second = c.expect(PublishPacket.class);
      PublishPacket other = c.expect(PublishPacket.class);
      PublishPacket third = c.expect(PublishPacket.class);

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
    try (RawClient c = RawClient.connected(broker.port(), MqttVersion.V5, "no-aliases", true,
        MqttProperties.EMPTY)) {
      c.subscribe(1, "plain/#", QoS.AT_MOST_ONCE);
      c.publish("plain/topic", QoS.AT_MOST_ONCE, 0, "m");
      c.publish("plain/topic", QoS.AT_MOST_ONCE, 0, "m");
      for (int i = 0; i < 2; i++) {
        PublishPacket p = c.expect(PublishPacket.class);
        assertThat(p.topic()).isEqualTo("plain/topic");
        assertThat(p.properties().topicAlias()).isNull();
      }
    }
  }
}
