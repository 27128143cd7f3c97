package io.berth.bench.artemis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The peer as berth-bench starts it passes QoS 1 messages, and keeps them for an offline persistent session. */
class ArtemisMainTest {
    @TempDir
    Path home;

    @Test
    void artemis_passesQos1_andQueuesForAnOfflinePersistentSession_acrossARestart() throws Exception {
        int port = freePort();
        EmbeddedActiveMQ artemis = ArtemisMain.start(home, port);
        List<String> received = new CopyOnWriteArrayList<>();
        try {
            MqttClient subscriber = connect(port, "sub", received);
            subscriber.subscribe("bench/check", 1);
            MqttClient publisher = connect(port, "pub", null);
            publisher.publish("bench/check", message("online"));
            await().atMost(Duration.ofSeconds(30)).until(() -> received.contains("online"));

            subscriber.disconnect();
            subscriber.close();
            publisher.publish("bench/check", message("queued")); // returns after PUBACK
            publisher.disconnect();
            publisher.close();
        } finally {
            artemis.stop();
        }

        artemis = ArtemisMain.start(home, port);
        try {
            MqttClient back = connect(port, "sub", received);
            await().atMost(Duration.ofSeconds(30)).until(() -> received.contains("queued"));
            back.disconnect();
            back.close();
        } finally {
            artemis.stop();
        }
        assertThat(received).containsExactly("online", "queued");
    }

    private static MqttMessage message(String text) {
        MqttMessage m = new MqttMessage(text.getBytes(StandardCharsets.UTF_8));
        m.setQos(1);
        return m;
    }

    /** A 3.1.1 client with a persistent session (cleanSession=0); {@code received} collects what arrives. */
    private static MqttClient connect(int port, String id, List<String> received) throws Exception {
        MqttClient c = new MqttClient("tcp://127.0.0.1:" + port, id, new MemoryPersistence());
        if (received != null) {
            c.setCallback(new MqttCallback() {
                @Override
                public void connectionLost(Throwable cause) {}

                @Override
                public void messageArrived(String topic, MqttMessage message) {
                    received.add(new String(message.getPayload(), StandardCharsets.UTF_8));
                }

                @Override
                public void deliveryComplete(IMqttDeliveryToken token) {}
            });
        }
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(false);
        o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        c.connect(o);
        return c;
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        }
    }
}
