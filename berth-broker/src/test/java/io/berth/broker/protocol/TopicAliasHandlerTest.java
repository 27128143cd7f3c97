package io.berth.broker.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.codec.MqttEncoder;
import io.berth.codec.MqttProperties;
import io.berth.codec.MqttVersion;
import io.berth.codec.PingrespPacket;
import io.berth.codec.PublishPacket;
import io.berth.codec.QoS;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class TopicAliasHandlerTest {
  private static final byte[] PAYLOAD = {1, 2, 3};

  private static PublishPacket publish(String topic) {
    return new PublishPacket(topic, QoS.AT_LEAST_ONCE, false, false, 7, PAYLOAD, MqttProperties.EMPTY);
  }

  @Test
  void aliasesGoToTheFirstTopics_upToTheMaximum() {
    EmbeddedChannel ch = new EmbeddedChannel(new TopicAliasHandler(2, Long.MAX_VALUE));
    ch.writeOutbound(publish("a/1"), publish("a/2"), publish("a/3"), publish("a/2"), PingrespPacket.INSTANCE);

    PublishPacket one = ch.readOutbound();
    PublishPacket two = ch.readOutbound();
    PublishPacket three = ch.readOutbound();
    PublishPacket twoAgain = ch.readOutbound();
    assertThat(one.topic()).isEqualTo("a/1");
    assertThat(one.properties().topicAlias()).isEqualTo(1);
    assertThat(two.topic()).isEqualTo("a/2");
    assertThat(two.properties().topicAlias()).isEqualTo(2);
    assertThat(three.topic()).isEqualTo("a/3");
    assertThat(three.properties().topicAlias()).isNull();
    assertThat(twoAgain.topic()).isEmpty();
    assertThat(twoAgain.properties().topicAlias()).isEqualTo(2);
    assertThat(twoAgain.packetId()).isEqualTo(7);
    assertThat((Object) ch.readOutbound()).isSameAs(PingrespPacket.INSTANCE);
    assertThat(ch.finish()).isFalse();
  }

  @Test
  @DisplayName("[MQTT-3.1.2-24] an alias that would push a PUBLISH over the client's Maximum Packet Size is not used")
  void aliasThatMakesThePacketTooLarge_isNotUsed() {
    PublishPacket plain = publish("sensor/temperature");
    int size = MqttEncoder.encodedSize(plain, MqttVersion.V5);
    EmbeddedChannel ch = new EmbeddedChannel(new TopicAliasHandler(4, size));
    ch.writeOutbound(plain, plain);

    PublishPacket first = ch.readOutbound();
    PublishPacket second = ch.readOutbound();
    // topic + alias is 3 bytes larger than the limit: sent by name, no mapping made
    assertThat(first.topic()).isEqualTo("sensor/temperature");
    assertThat(first.properties().topicAlias()).isNull();
    assertThat(second.properties().topicAlias()).isNull();
    assertThat(ch.finish()).isFalse();
  }
}
