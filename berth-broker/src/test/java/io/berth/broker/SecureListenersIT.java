package io.berth.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientBuilder;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.berth.broker.config.ListenerConfig;
import io.berth.broker.config.ListenerConfig.Transport;
import io.berth.broker.config.SecurityConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real clients (HiveMQ, Paho) over TLS, WebSocket and secure WebSocket, with certificates made at test
 * time; client certificates as usernames; refusals; certificate reload without restart.
 */
class SecureListenersIT {
    private static final int TCP = 0;
    private static final int TLS = 1;
    private static final int WS = 2;
    private static final int WSS = 3;
    private static final int TLS_CERT_REQUIRED = 4;

    @TempDir
    Path dir;

    private TestCertificates.Issued ca;
    private TestCertificates.Issued server;
    private TestBroker broker;

    @BeforeEach
    void start() throws Exception {
        ca = TestCertificates.ca(dir, "test-ca");
        server = TestCertificates.server(dir, "server", ca);
        Path passwd = AuthenticationTest.passwords(dir, "alice", "alice-pw");
        List<ListenerConfig> listeners = List.of(
                ListenerConfig.tcp("127.0.0.1", 0),
                new ListenerConfig(
                        Transport.TLS,
                        "127.0.0.1",
                        0,
                        server.certFile(),
                        server.keyFile(),
                        ca.certFile(),
                        false,
                        true,
                        "/mqtt"),
                ListenerConfig.ws("127.0.0.1", 0, "/mqtt"),
                new ListenerConfig(
                        Transport.WSS,
                        "127.0.0.1",
                        0,
                        server.certFile(),
                        server.keyFile(),
                        null,
                        false,
                        false,
                        "/mqtt"),
                new ListenerConfig(
                        Transport.TLS,
                        "127.0.0.1",
                        0,
                        server.certFile(),
                        server.keyFile(),
                        ca.certFile(),
                        true,
                        true,
                        "/mqtt"));
        broker = new TestBroker(b -> b.security(SecurityConfig.DEFAULT
                .withListeners(listeners)
                .withPasswordFile(passwd)
                .withReloadCheckMillis(50)));
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    private int port(int listener) {
        return broker.berth().addresses().get(listener).getPort();
    }

    private Mqtt5ClientBuilder hivemq5(String id, int listener) throws Exception {
        Mqtt5ClientBuilder b = MqttClient.builder()
                .useMqttVersion5()
                .identifier(id)
                .serverHost("127.0.0.1")
                .serverPort(port(listener));
        if (listener == TLS || listener == WSS || listener == TLS_CERT_REQUIRED) {
            b = b.sslConfig().trustManagerFactory(ca.trustManager()).applySslConfig();
        }
        if (listener == WS || listener == WSS) {
            b = b.webSocketConfig().serverPath("mqtt").applyWebSocketConfig();
        }
        return b;
    }

    private static void roundTrip(Mqtt5BlockingClient c, String topic) throws Exception {
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes =
                c.publishes(com.hivemq.client.mqtt.MqttGlobalPublishFilter.ALL)) {
            c.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).send();
            c.publishWith()
                    .topic(topic)
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .payload("hello".getBytes(StandardCharsets.UTF_8))
                    .send();
            Optional<Mqtt5Publish> p = publishes.receive(5, TimeUnit.SECONDS);
            assertThat(p).isPresent();
            assertThat(new String(p.get().getPayloadAsBytes(), StandardCharsets.UTF_8))
                    .isEqualTo("hello");
        }
    }

    @Test
    void hivemq5_overTlsWsAndWss_withPassword() throws Exception {
        for (int listener : new int[] {TLS, WS, WSS}) {
            Mqtt5BlockingClient c = hivemq5("h5-" + listener, listener)
                    .simpleAuth()
                    .username("alice")
                    .password("alice-pw".getBytes(StandardCharsets.UTF_8))
                    .applySimpleAuth()
                    .buildBlocking();
            c.connect();
            roundTrip(c, "t/" + listener);
            c.disconnect();
        }
    }

    /**
     * Every transport's pipeline survives the move of its channel to the session's loop (ADR 9): four
     * clients whose sessions all live on shard 0 connect one after the other, so that at least one is
     * accepted on another loop and moves; each then publishes to the first, across connections.
     */
    @Test
    void everyTransport_movesItsChannelToTheSessionsLoop_andKeepsWorking() throws Exception {
        int shards = broker.berth().config().shards();
        for (int listener : new int[] {TCP, TLS, WS, WSS}) {
            List<String> ids = new java.util.ArrayList<>();
            for (int i = 0; ids.size() < 4; i++) {
                String id = "move-" + listener + "-" + i;
                if (Math.floorMod(id.hashCode(), shards) == 0) {
                    ids.add(id);
                }
            }
            List<Mqtt5BlockingClient> clients = new java.util.ArrayList<>();
            for (String id : ids) {
                Mqtt5BlockingClient c = hivemq5(id, listener)
                        .simpleAuth()
                        .username("alice")
                        .password("alice-pw".getBytes(StandardCharsets.UTF_8))
                        .applySimpleAuth()
                        .buildBlocking();
                c.connect();
                clients.add(c);
            }
            String topic = "move/" + listener;
            try (Mqtt5BlockingClient.Mqtt5Publishes publishes =
                    clients.get(0).publishes(com.hivemq.client.mqtt.MqttGlobalPublishFilter.ALL)) {
                clients.get(0)
                        .subscribeWith()
                        .topicFilter(topic)
                        .qos(MqttQos.AT_LEAST_ONCE)
                        .send();
                for (Mqtt5BlockingClient c : clients) {
                    c.publishWith()
                            .topic(topic)
                            .qos(MqttQos.AT_LEAST_ONCE)
                            .payload(c.getConfig()
                                    .getClientIdentifier()
                                    .get()
                                    .toString()
                                    .getBytes(StandardCharsets.UTF_8))
                            .send();
                }
                for (String id : ids) {
                    Optional<Mqtt5Publish> p = publishes.receive(5, TimeUnit.SECONDS);
                    assertThat(p).isPresent();
                    assertThat(new String(p.get().getPayloadAsBytes(), StandardCharsets.UTF_8))
                            .isEqualTo(id);
                }
            }
            for (Mqtt5BlockingClient c : clients) {
                c.disconnect();
            }
        }
    }

    @Test
    void hivemq3_overWebSocket() {
        Mqtt3BlockingClient c = MqttClient.builder()
                .useMqttVersion3()
                .identifier("h3-ws")
                .serverHost("127.0.0.1")
                .serverPort(port(WS))
                .webSocketConfig()
                .serverPath("mqtt")
                .applyWebSocketConfig()
                .simpleAuth()
                .username("alice")
                .password("alice-pw".getBytes(StandardCharsets.UTF_8))
                .applySimpleAuth()
                .buildBlocking();
        assertThat(c.connect().getReturnCode().isError()).isFalse();
        c.publishWith()
                .topic("a")
                .qos(MqttQos.AT_LEAST_ONCE)
                .payload(new byte[] {1})
                .send();
        c.disconnect();
    }

    @Test
    void paho3_overTlsAndWebSocket() throws Exception {
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, ca.trustManager().getTrustManagers(), null);
        String[] uris = {
            "ssl://127.0.0.1:" + port(TLS),
            "ws://127.0.0.1:" + port(WS) + "/mqtt",
            "wss://127.0.0.1:" + port(WSS) + "/mqtt"
        };
        for (String uri : uris) {
            org.eclipse.paho.client.mqttv3.MqttClient c = new org.eclipse.paho.client.mqttv3.MqttClient(
                    uri, "paho-" + uri.substring(0, 3), new MemoryPersistence());
            MqttConnectOptions o = new MqttConnectOptions();
            o.setUserName("alice");
            o.setPassword("alice-pw".toCharArray());
            if (!uri.startsWith("ws:")) {
                o.setSocketFactory(ssl.getSocketFactory());
            }
            c.connect(o);
            c.publish("paho/" + uri.substring(0, 3), "x".getBytes(StandardCharsets.UTF_8), 1, false);
            c.disconnect();
            c.close();
        }
    }

    @Test
    void wrongOrMissingPassword_overTls_isRefusedWithTheRightCode() throws Exception {
        Mqtt5BlockingClient wrong = hivemq5("wrong", TLS)
                .simpleAuth()
                .username("alice")
                .password("nope".getBytes(StandardCharsets.UTF_8))
                .applySimpleAuth()
                .buildBlocking();
        assertThatThrownBy(wrong::connect)
                .isInstanceOfSatisfying(
                        Mqtt5ConnAckException.class,
                        e -> assertThat(e.getMqttMessage().getReasonCode())
                                .isEqualTo(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD));
        Mqtt5BlockingClient none = hivemq5("none", WSS).buildBlocking();
        assertThatThrownBy(none::connect)
                .isInstanceOfSatisfying(
                        Mqtt5ConnAckException.class,
                        e -> assertThat(e.getMqttMessage().getReasonCode())
                                .isEqualTo(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED));
    }

    @Test
    void clientCertificate_isTheUsername_andResumesTheOwnersSession() throws Exception {
        // alice creates a persistent session with her password...
        Mqtt5BlockingClient pw = hivemq5("alice-dev", TCP)
                .simpleAuth()
                .username("alice")
                .password("alice-pw".getBytes(StandardCharsets.UTF_8))
                .applySimpleAuth()
                .buildBlocking();
        pw.connectWith().cleanStart(false).sessionExpiryInterval(600).send();
        pw.disconnect();
        // ...and resumes it with a certificate whose CN is alice, without any password
        TestCertificates.Issued aliceCert = TestCertificates.client(dir, "alice", ca);
        for (int listener : new int[] {TLS, TLS_CERT_REQUIRED}) {
            Mqtt5BlockingClient cert = hivemq5("alice-dev", listener)
                    .sslConfig()
                    .trustManagerFactory(ca.trustManager())
                    .keyManagerFactory(aliceCert.keyManager())
                    .applySslConfig()
                    .buildBlocking();
            assertThat(cert.connectWith()
                            .cleanStart(false)
                            .sessionExpiryInterval(600)
                            .send()
                            .isSessionPresent())
                    .isTrue();
            cert.disconnect();
        }
        // a certificate for mallory from the same CA is a valid login, but not to alice's session
        TestCertificates.Issued malloryCert = TestCertificates.client(dir, "mallory", ca);
        Mqtt5BlockingClient mallory = hivemq5("alice-dev", TLS_CERT_REQUIRED)
                .sslConfig()
                .trustManagerFactory(ca.trustManager())
                .keyManagerFactory(malloryCert.keyManager())
                .applySslConfig()
                .buildBlocking();
        assertThatThrownBy(() -> mallory.connectWith().cleanStart(false).send())
                .isInstanceOfSatisfying(
                        Mqtt5ConnAckException.class,
                        e -> assertThat(e.getMqttMessage().getReasonCode())
                                .isEqualTo(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED));
    }

    @Test
    void badOrMissingClientCertificate_failsTheHandshake() throws Exception {
        TestCertificates.Issued otherCa = TestCertificates.ca(dir, "other-ca");
        TestCertificates.Issued forged = TestCertificates.client(dir, "alice", otherCa);
        Mqtt5BlockingClient bad = hivemq5("forged", TLS_CERT_REQUIRED)
                .sslConfig()
                .trustManagerFactory(ca.trustManager())
                .keyManagerFactory(forged.keyManager())
                .applySslConfig()
                .buildBlocking();
        assertThatThrownBy(bad::connect).isNotInstanceOf(Mqtt5ConnAckException.class);
        Mqtt5BlockingClient none = hivemq5("no-cert", TLS_CERT_REQUIRED).buildBlocking();
        assertThatThrownBy(none::connect).isNotInstanceOf(Mqtt5ConnAckException.class);
        // where certificates are optional an untrusted one is no identity: without a password, Not Authorized
        Mqtt5BlockingClient optional = hivemq5("forged2", TLS)
                .sslConfig()
                .trustManagerFactory(ca.trustManager())
                .keyManagerFactory(forged.keyManager())
                .applySslConfig()
                .buildBlocking();
        assertThatThrownBy(optional::connect)
                .isInstanceOfSatisfying(
                        Mqtt5ConnAckException.class,
                        e -> assertThat(e.getMqttMessage().getReasonCode())
                                .isEqualTo(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED));
    }

    @Test
    void serverCertificate_isReloadedWithoutRestart() throws Exception {
        TestCertificates.Issued newCa = TestCertificates.ca(dir, "new-ca");
        TestCertificates.Issued renewed = TestCertificates.server(dir, "renewed", newCa);
        Mqtt5BlockingClient trustsNew = hivemq5("renewal", TLS)
                .sslConfig()
                .trustManagerFactory(newCa.trustManager())
                .applySslConfig()
                .simpleAuth()
                .username("alice")
                .password("alice-pw".getBytes(StandardCharsets.UTF_8))
                .applySimpleAuth()
                .buildBlocking();
        assertThatThrownBy(trustsNew::connect).isNotInstanceOf(Mqtt5ConnAckException.class);
        TestCertificates.writePem(
                server.keyFile(), new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(renewed.key(), null));
        TestCertificates.writePem(server.certFile(), renewed.certificate());
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .ignoreExceptions()
                .untilAsserted(() -> {
                    trustsNew.connect();
                    trustsNew.disconnect();
                });
    }
}
