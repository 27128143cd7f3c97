package io.berth.broker.cluster;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import io.berth.broker.Berth;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * The clients of a cluster test, each built for one node: MQTT 5.0 HiveMQ clients and 3.1.1 Paho clients;
 * those still connected are disconnected at the end, each also when another one could not be.
 *
 * <p>Threading: the test thread (a Paho client's callback runs on its own thread and only adds to the
 * list it was given).
 */
final class ClusterClients implements AutoCloseable {
    private final List<Mqtt5BlockingClient> clients = new ArrayList<>();
    private final List<org.eclipse.paho.client.mqttv3.MqttClient> pahos = new ArrayList<>();

    /** A client {@code id} of {@code node}'s MQTT port, not connected yet. */
    Mqtt5BlockingClient client(String id, Berth node) {
        Mqtt5BlockingClient c = MqttClient.builder()
                .useMqttVersion5()
                .identifier(id)
                .serverHost("127.0.0.1")
                .serverPort(node.port())
                .buildBlocking();
        clients.add(c);
        return c;
    }

    /**
     * A Paho client {@code id} of {@code node}'s MQTT port, not connected yet, that adds
     * {@code topic/payload} of every message it receives to {@code into} (a synchronized or concurrent list).
     */
    org.eclipse.paho.client.mqttv3.MqttClient paho(String id, Berth node, List<String> into) throws MqttException {
        org.eclipse.paho.client.mqttv3.MqttClient c = new org.eclipse.paho.client.mqttv3.MqttClient(
                "tcp://127.0.0.1:" + node.port(), id, new MemoryPersistence());
        c.setCallback(new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {}

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                into.add(topic + "/" + new String(message.getPayload(), StandardCharsets.UTF_8));
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {}
        });
        pahos.add(c);
        return c;
    }

    @Override
    public void close() {
        RuntimeException failed = null;
        for (Mqtt5BlockingClient c : clients) {
            try {
                if (c.getState().isConnected()) {
                    c.disconnect();
                }
            } catch (RuntimeException e) { // its node may be gone: the others are let go all the same
                failed = failed == null ? e : failed;
            }
        }
        for (org.eclipse.paho.client.mqttv3.MqttClient p : pahos) {
            try {
                if (p.isConnected()) {
                    p.disconnect();
                }
                p.close();
            } catch (MqttException e) {
                failed = failed == null
                        ? new IllegalStateException("Paho client " + p.getClientId() + " did not close", e)
                        : failed;
            }
        }
        if (failed != null) {
            throw failed;
        }
    }
}
