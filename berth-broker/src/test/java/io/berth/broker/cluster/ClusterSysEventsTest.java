package io.berth.broker.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.berth.broker.config.Limits;
import io.berth.broker.config.OverflowPolicy;
import io.berth.broker.config.QueueLimits;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The broker's {@code $SYS} events on three nodes in this JVM: an event raised on one node reaches its
 * subscribers on every node, those whose sessions end with their connection and persistent ones, and
 * names the node it comes from.
 */
class ClusterSysEventsTest extends ClusterFixture {
    private static final String EVENTS = "$SYS/berth/events/#";

    private static JsonNode next(Mqtt5BlockingClient.Mqtt5Publishes events) throws Exception {
        Mqtt5Publish p = events.receive(20, TimeUnit.SECONDS).orElseThrow(() -> new AssertionError("no event in 20 s"));
        assertThat(p.getTopic().toString()).isEqualTo("$SYS/berth/events/queue-watermark");
        return new ObjectMapper().readTree(p.getPayloadAsBytes());
    }

    @Test
    void queueWatermarkEvent_raisedOnOneNode_reachesSysSubscribersOnEveryNode() throws Exception {
        Limits limits = new Limits(
                new QueueLimits(10, 1 << 20, 0, OverflowPolicy.DROP_OLDEST, 80),
                List.of(),
                Limits.DEFAULT.queuedBytesBudget());
        cluster = new TestCluster(dir, 3).adjust(b -> b.limits(limits)).startAll();

        // watchers on n2 (session ends with its connection) and n3 (persistent)
        Mqtt5BlockingClient onN2 = clients.client("watch-2", cluster.node(1));
        onN2.connectWith().cleanStart(true).sessionExpiryInterval(0).send();
        Mqtt5BlockingClient onN3 = clients.client("watch-3", cluster.node(2));
        onN3.connectWith().cleanStart(true).sessionExpiryInterval(600).send();
        try (Mqtt5BlockingClient.Mqtt5Publishes events2 = onN2.publishes(MqttGlobalPublishFilter.ALL);
                Mqtt5BlockingClient.Mqtt5Publishes events3 = onN3.publishes(MqttGlobalPublishFilter.ALL)) {
            onN2.subscribeWith().topicFilter(EVENTS).qos(MqttQos.AT_LEAST_ONCE).send();
            onN3.subscribeWith().topicFilter(EVENTS).qos(MqttQos.AT_LEAST_ONCE).send();

            // an offline persistent subscriber served by n1 fills its queue to 80 % of 10
            Mqtt5BlockingClient sub = clients.client("sub-1", cluster.node(0));
            sub.connectWith().cleanStart(true).sessionExpiryInterval(600).send();
            sub.subscribeWith().topicFilter("fill/#").qos(MqttQos.AT_LEAST_ONCE).send();
            sub.disconnect();
            Mqtt5BlockingClient pub = clients.client("pub-1", cluster.node(0));
            pub.connect();
            for (int i = 0; i < 8; i++) {
                pub.publishWith()
                        .topic("fill/" + i)
                        .qos(MqttQos.AT_LEAST_ONCE)
                        .payload(("m" + i).getBytes(StandardCharsets.UTF_8))
                        .send();
            }

            for (Mqtt5BlockingClient.Mqtt5Publishes events : List.of(events2, events3)) {
                JsonNode high = next(events);
                assertThat(high.get("event").asText()).isEqualTo("queue-watermark");
                assertThat(high.get("state").asText()).isEqualTo("high");
                assertThat(high.get("clientId").asText()).isEqualTo("sub-1");
                assertThat(high.get("messages").asLong()).isEqualTo(8);
                assertThat(high.get("node").asText())
                        .as("the node that raised it")
                        .isEqualTo("n1");
            }
            // once each
            assertThat(events2.receive(1, TimeUnit.SECONDS)).isEmpty();
            assertThat(events3.receive(1, TimeUnit.SECONDS)).isEmpty();
        }
    }
}
