package io.berth.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.codec.DisconnectPacket;
import io.berth.codec.MqttEncoder;
import io.berth.codec.MqttPacket;
import io.berth.codec.MqttProperties;
import io.berth.codec.MqttVersion;
import io.berth.codec.PublishPacket;
import io.berth.codec.PubrelPacket;
import io.berth.codec.QoS;
import io.berth.codec.ReasonCode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** When the broker ends a 5.0 connection, a client still writing reads the DISCONNECT, not a reset. */
class ServerDisconnectTest {
  private final TestBroker broker = new TestBroker(b -> b.receiveMaximum(10));

  @AfterEach
  void stop() {
    broker.close();
  }

  private static byte[] encode(MqttPacket p) {
    ByteBuf b = MqttEncoder.encode(UnpooledByteBufAllocator.DEFAULT, p, MqttVersion.V5);
    try {
      return ByteBufUtil.getBytes(b);
    } finally {
      b.release();
    }
  }

  @Test
  void receiveMaximumExceeded_clientKeepsWriting_andReadsDisconnect0x93() throws Exception {
    try (RawClient c = RawClient.connected(broker.port(), MqttVersion.V5, "eager", true, MqttProperties.EMPTY)) {
      ByteArrayOutputStream publishes = new ByteArrayOutputStream();
      for (int id = 1; id <= 11; id++) {
        publishes.write(encode(new PublishPacket("q2", QoS.EXACTLY_ONCE, false, false, id, "x".getBytes(),
            MqttProperties.EMPTY)));
      }
      c.sendBytes(publishes.toByteArray());
      // [MQTT-3.3.4-8] the 11th unacknowledged QoS 2 PUBLISH exceeds the Receive Maximum of 10
      DisconnectPacket d = null;
      int pubrels = 0;
      while (d == null) {
        MqttPacket p = c.receive(Duration.ofSeconds(5));
        if (p instanceof DisconnectPacket disconnect) {
          d = disconnect;
        } else if (pubrels < 10) {
          // the client goes on answering PUBRECs; these writes must not fail
          c.send(PubrelPacket.of(++pubrels));
        }
      }
      assertThat(d.reasonCode()).isEqualTo(ReasonCode.RECEIVE_MAXIMUM_EXCEEDED);
      for (int i = 0; i < 5; i++) {
        c.send(PubrelPacket.of(1)); // still no reset while the broker lingers
      }
      assertThat(c.awaitClosed(Duration.ofSeconds(5))).isTrue();
    }
  }
}
