package io.berth.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.codec.MqttEncoder;
import io.berth.codec.MqttProperties;
import io.berth.codec.MqttVersion;
import io.berth.codec.PubackPacket;
import io.berth.codec.PublishPacket;
import io.berth.codec.QoS;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A publisher that pipelines far more than the broker processes at once is slowed, not buffered. */
class BackpressureTest {
  private final TestBroker broker = new TestBroker();

  @AfterEach
  void stop() {
    broker.close();
  }

  @Test
  void pipelinedQos1Publishes_allAcknowledgedInOrder_whileReadingPausesAndResumes() throws Exception {
    int count = 5_000;
    try (RawClient sub = RawClient.connected(broker.port(), MqttVersion.V3_1_1, "bp-sub", false, MqttProperties.EMPTY);
        RawClient pub = RawClient.connected(broker.port(), MqttVersion.V3_1_1, "bp-pub", true, MqttProperties.EMPTY)) {
      sub.subscribe(1, "bp", QoS.AT_LEAST_ONCE);
      // all publishes in one write, far beyond the point where the broker stops reading
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      for (int i = 0; i < count; i++) {
        ByteBuf b = MqttEncoder.encode(UnpooledByteBufAllocator.DEFAULT,
            new PublishPacket("bp", QoS.AT_LEAST_ONCE, false, false, i % 65_535 + 1, ("m" + i).getBytes(),
                MqttProperties.EMPTY), MqttVersion.V3_1_1);
        all.write(ByteBufUtil.getBytes(b));
        b.release();
      }
      Thread writer = new Thread(() -> pub.sendBytes(all.toByteArray()));
      writer.start();
      // [MQTT-4.6.0-2] PUBACKs in the order of the PUBLISH packets
      for (int i = 0; i < count; i++) {
        assertThat(pub.expect(PubackPacket.class).packetId()).isEqualTo(i % 65_535 + 1);
      }
      writer.join(10_000);
      int received = 0;
      while (received < count) {
        PublishPacket p = sub.expect(PublishPacket.class);
        assertThat(new String(p.payload())).isEqualTo("m" + received);
        sub.send(PubackPacket.of(p.packetId()));
        received++;
      }
    }
  }
}
