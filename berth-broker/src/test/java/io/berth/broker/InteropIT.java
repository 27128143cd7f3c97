package io.berth.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Real clients against an in-JVM broker: persistent sessions, offline queues, QoS 2, takeover. */
class InteropIT {
    private final TestBroker broker = new TestBroker();

    @AfterEach
    void stop() {
        broker.close();
    }

    private Mqtt5BlockingClient hivemq5(String id) {
        return MqttClient.builder()
                .useMqttVersion5()
                .identifier(id)
                .serverHost("127.0.0.1")
                .serverPort(broker.port())
                .buildBlocking();
    }

    private Mqtt3BlockingClient hivemq3(String id) {
        return MqttClient.builder()
                .useMqttVersion3()
                .identifier(id)
                .serverHost("127.0.0.1")
                .serverPort(broker.port())
                .buildBlocking();
    }

    private void publish5(String topic, MqttQos qos, int count) {
        Mqtt5BlockingClient pub = hivemq5("publisher-" + topic);
        pub.connect();
        for (int i = 0; i < count; i++) {
            pub.publishWith()
                    .topic(topic)
                    .qos(qos)
                    .payload(("m" + i).getBytes(StandardCharsets.UTF_8))
                    .send();
        }
        pub.disconnect();
    }

    @Test
    void hivemq5_persistentSession_receivesWhatWasQueuedWhileOffline_inOrder() throws Exception {
        Mqtt5BlockingClient sub = hivemq5("fleet-1");
        sub.connectWith().cleanStart(false).sessionExpiryInterval(3600).send();
        sub.subscribeWith().topicFilter("fleet/#").qos(MqttQos.EXACTLY_ONCE).send();
        sub.disconnect();
        publish5("fleet/1", MqttQos.AT_LEAST_ONCE, 50);
        publish5("fleet/2", MqttQos.EXACTLY_ONCE, 50);

        try (Mqtt5BlockingClient.Mqtt5Publishes publishes =
                sub.publishes(com.hivemq.client.mqtt.MqttGlobalPublishFilter.ALL)) {
            Mqtt5ConnAck ack = sub.connectWith()
                    .cleanStart(false)
                    .sessionExpiryInterval(3600)
                    .send();
            assertThat(ack.isSessionPresent()).isTrue();
            List<String> got = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                var p = publishes.receive(5, TimeUnit.SECONDS).orElseThrow();
                got.add(p.getTopic() + "/" + new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8));
            }
            for (int i = 0; i < 50; i++) {
                assertThat(got.get(i)).isEqualTo("fleet/1/m" + i);
                assertThat(got.get(50 + i)).isEqualTo("fleet/2/m" + i);
            }
            assertThat(publishes.receive(300, TimeUnit.MILLISECONDS)).isEmpty();
        }
        sub.disconnect();
    }

    @Test
    void hivemq3_persistentSession_offlineQueue() throws Exception {
        Mqtt3BlockingClient sub = hivemq3("legacy-1");
        sub.connectWith().cleanSession(false).send();
        sub.subscribeWith().topicFilter("legacy/+").qos(MqttQos.AT_LEAST_ONCE).send();
        sub.disconnect();
        publish5("legacy/a", MqttQos.AT_LEAST_ONCE, 20);
        try (var publishes = sub.publishes(com.hivemq.client.mqtt.MqttGlobalPublishFilter.ALL)) {
            assertThat(sub.connectWith().cleanSession(false).send().isSessionPresent())
                    .isTrue();
            for (int i = 0; i < 20; i++) {
                var p = publishes.receive(5, TimeUnit.SECONDS).orElseThrow();
                assertThat(new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8))
                        .isEqualTo("m" + i);
            }
        }
        sub.disconnect();
    }

    @Test
    void paho3_persistentSession_redeliveryAfterDroppedConnection() throws Exception {
        String url = "tcp://127.0.0.1:" + broker.port();
        List<String> received = Collections.synchronizedList(new ArrayList<>());
        org.eclipse.paho.client.mqttv3.MqttClient sub =
                new org.eclipse.paho.client.mqttv3.MqttClient(url, "paho3-sub", new MemoryPersistence());
        MqttConnectOptions opts = new MqttConnectOptions();
        opts.setCleanSession(false);
        opts.setAutomaticReconnect(false);
        sub.setCallback(new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {}

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                received.add(new String(message.getPayload(), StandardCharsets.UTF_8));
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {}
        });
        sub.connect(opts);
        sub.subscribe("paho/#", 2);
        sub.disconnect();
        publish5("paho/x", MqttQos.EXACTLY_ONCE, 30);
        sub.connect(opts);
        await().atMost(Duration.ofSeconds(10)).until(() -> received.size() >= 30);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            expected.add("m" + i);
        }
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> received.size() == 30);
        assertThat(received).containsExactlyElementsOf(expected);
        sub.disconnect();
        sub.close();
    }

    @Test
    void paho5_persistentSession_andExactlyOnce() throws Exception {
        String url = "tcp://127.0.0.1:" + broker.port();
        List<String> received = Collections.synchronizedList(new ArrayList<>());
        org.eclipse.paho.mqttv5.client.MqttClient sub = new org.eclipse.paho.mqttv5.client.MqttClient(
                url, "paho5-sub", new org.eclipse.paho.mqttv5.client.persist.MemoryPersistence());
        MqttConnectionOptions opts = new MqttConnectionOptions();
        opts.setCleanStart(false);
        opts.setSessionExpiryInterval(3600L);
        sub.setCallback(new org.eclipse.paho.mqttv5.client.MqttCallback() {
            @Override
            public void disconnected(MqttDisconnectResponse r) {}

            @Override
            public void mqttErrorOccurred(MqttException e) {}

            @Override
            public void messageArrived(String topic, org.eclipse.paho.mqttv5.common.MqttMessage message) {
                received.add(new String(message.getPayload(), StandardCharsets.UTF_8));
            }

            @Override
            public void deliveryComplete(IMqttToken token) {}

            @Override
            public void connectComplete(boolean reconnect, String serverURI) {}

            @Override
            public void authPacketArrived(int reasonCode, MqttProperties properties) {}
        });
        sub.connect(opts);
        sub.subscribe("p5/#", 2);
        sub.disconnect();
        publish5("p5/x", MqttQos.EXACTLY_ONCE, 30);
        IMqttToken token = sub.connectWithResult(opts);
        assertThat(token.getSessionPresent()).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> received.size() >= 30);
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> received.size() == 30);
        for (int i = 0; i < 30; i++) {
            assertThat(received.get(i)).isEqualTo("m" + i);
        }
        sub.disconnect();
        sub.close();
    }

    @Test
    void hivemq5_takeover_movesTheSessionToTheNewConnection() throws Exception {
        Mqtt5BlockingClient first = hivemq5("twin");
        first.connectWith().cleanStart(false).sessionExpiryInterval(600).send();
        first.subscribeWith().topicFilter("tw/#").qos(MqttQos.AT_LEAST_ONCE).send();
        Mqtt5BlockingClient second = hivemq5("twin");
        Mqtt5ConnAck ack = second.connectWith()
                .cleanStart(false)
                .sessionExpiryInterval(600)
                .send();
        assertThat(ack.isSessionPresent()).isTrue();
        await().atMost(Duration.ofSeconds(5)).until(() -> !first.getState().isConnected());
        try (var publishes = second.publishes(com.hivemq.client.mqtt.MqttGlobalPublishFilter.ALL)) {
            publish5("tw/1", MqttQos.AT_LEAST_ONCE, 3);
            for (int i = 0; i < 3; i++) {
                Optional<?> p = publishes.receive(5, TimeUnit.SECONDS);
                assertThat(p).isPresent();
            }
        }
        second.disconnect();
    }
}
