package io.berth.broker.cluster;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import io.berth.broker.Berth;
import java.util.ArrayList;
import java.util.List;

/**
 * The MQTT 5.0 clients of a cluster test, each built for one node; those still connected are
 * disconnected at the end.
 *
 * <p>Threading: the test thread.
 */
final class ClusterClients implements AutoCloseable {
    private final List<Mqtt5BlockingClient> clients = new ArrayList<>();

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

    @Override
    public void close() {
        for (Mqtt5BlockingClient c : clients) {
            if (c.getState().isConnected()) {
                c.disconnect();
            }
        }
    }
}
