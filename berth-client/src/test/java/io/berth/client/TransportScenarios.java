package io.berth.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.berth.client.TransportBroker.Transport;
import io.berth.codec.QoS;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * berth-client over TLS (trust from PEM, host name verified; a client certificate), WebSocket and secure
 * WebSocket against another broker, each message checked by the HiveMQ MQTT client on the broker's plain
 * TCP listener: what berth-client sent arrives there with its properties, and what the HiveMQ client sent
 * arrives at berth-client. One broker for the whole class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class TransportScenarios {
    /** Starts the broker with its listeners. */
    abstract TransportBroker start(Path dir, TestCertificates.Issued ca, TestCertificates.Issued server)
            throws Exception;

    /** True when the broker can run here. */
    abstract boolean available();

    private TransportBroker broker;
    private TestCertificates.Issued ca;
    private TestCertificates.Issued clientCert;
    private final List<MqttClient> clients = new ArrayList<>();
    private Mqtt5BlockingClient checker;

    @BeforeAll
    void startBroker(@TempDir Path dir) throws Exception {
        assumeTrue(available(), "the broker is not available");
        ca = TestCertificates.ca(dir, "transport-ca");
        clientCert = TestCertificates.client(dir, "device-1", ca);
        broker = start(dir, ca, TestCertificates.server(dir, "transport-server", ca));
    }

    @AfterAll
    void stopBroker() throws Exception {
        if (broker != null) {
            broker.close();
        }
    }

    @AfterEach
    void closeClients() {
        clients.forEach(MqttClient::close);
        clients.clear();
        if (checker != null && checker.getState().isConnected()) {
            checker.disconnect();
        }
    }

    private MqttClientBuilder client(String id, Transport t) {
        return MqttClient.builder().serverAddress("127.0.0.1", broker.port(t)).clientId(id);
    }

    private MqttClient connected(MqttClientBuilder b) {
        MqttClient c = b.build();
        clients.add(c);
        c.connect().join();
        return c;
    }

    private TlsConfig.Builder trustTheTestCa() {
        return TlsConfig.builder().trustPem(ca.certFile());
    }

    /**
     * berth-client {@code c} publishes to the checker and receives from it, both ways with a content type
     * and a user property naming the way.
     */
    private void exchange(MqttClient c, String topic) throws Exception {
        checker = com.hivemq.client.mqtt.MqttClient.builder()
                .useMqttVersion5()
                .identifier("checker-" + topic.replace('/', '-'))
                .serverHost("127.0.0.1")
                .serverPort(broker.port(Transport.TCP))
                .buildBlocking();
        checker.connect();
        BlockingQueue<Message> atBerth = new LinkedBlockingQueue<>();
        c.subscribe(topic + "/to-berth", QoS.AT_LEAST_ONCE, atBerth::add).join();
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = checker.publishes(MqttGlobalPublishFilter.ALL)) {
            checker.subscribeWith()
                    .topicFilter(topic + "/to-checker")
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .send();

            c.publish(Message.builder(topic + "/to-checker")
                            .payload("from berth-client")
                            .qos(QoS.AT_LEAST_ONCE)
                            .contentType("text/plain")
                            .userProperty("via", topic)
                            .build())
                    .join();

            Mqtt5Publish p = publishes.receive(10, TimeUnit.SECONDS).orElseThrow();
            assertThat(new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8))
                    .isEqualTo("from berth-client");
            assertThat(p.getContentType().orElseThrow().toString()).isEqualTo("text/plain");
            assertThat(p.getUserProperties().asList())
                    .extracting(u -> u.getName() + "=" + u.getValue())
                    .containsExactly("via=" + topic);
        }
        checker.publishWith()
                .topic(topic + "/to-berth")
                .qos(MqttQos.AT_LEAST_ONCE)
                .payload("from the checker".getBytes(StandardCharsets.UTF_8))
                .contentType("text/plain")
                .userProperties()
                .add("via", "tcp")
                .applyUserProperties()
                .send();
        Message m = atBerth.poll(10, TimeUnit.SECONDS);
        assertThat(m).isNotNull();
        assertThat(m.payloadAsString()).isEqualTo("from the checker");
        assertThat(m.properties().contentType()).isEqualTo("text/plain");
        assertThat(m.properties().userProperty("via")).isEqualTo("tcp");
    }

    @Test
    void tls_trustFromPem_hostNameVerified_messagesBothWays() throws Exception {
        MqttClient c =
                connected(client("tls", Transport.TLS).tls(trustTheTestCa().build()));
        exchange(c, "tls");
    }

    @Test
    void tls_untrustedBroker_isRefused() {
        MqttClient c = client("tls-untrusted", Transport.TLS)
                .tls(TlsConfig.DEFAULT) // the JDK's CAs do not know the test CA
                .build();
        clients.add(c);
        assertThatThrownBy(() -> c.connect().join()).isInstanceOf(RuntimeException.class);
    }

    @Test
    void tls_clientCertificateFromPemFiles_isAccepted_andWithoutOneTheBrokerRefuses() throws Exception {
        MqttClient c = connected(client("tls-cert", Transport.TLS_CLIENT_CERT)
                .tls(trustTheTestCa()
                        .clientCertificatePem(clientCert.certFile(), clientCert.keyFile())
                        .build()));
        exchange(c, "tls-cert");

        MqttClient without = client("tls-nocert", Transport.TLS_CLIENT_CERT)
                .tls(trustTheTestCa().build())
                .build();
        clients.add(without);
        assertThatThrownBy(() -> without.connect().join()).isInstanceOf(RuntimeException.class);
    }

    @Test
    void webSocket_messagesBothWays() throws Exception {
        MqttClient c = connected(client("ws", Transport.WS).webSocket("/mqtt"));
        exchange(c, "ws");
    }

    @Test
    void secureWebSocket_messagesBothWays() throws Exception {
        MqttClient c = connected(client("wss", Transport.WSS)
                .webSocket("/mqtt")
                .tls(trustTheTestCa().build()));
        exchange(c, "wss");
    }
}
