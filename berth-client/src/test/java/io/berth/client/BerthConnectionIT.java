package io.berth.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.broker.Berth;
import io.berth.broker.auth.PasswordFile;
import io.berth.broker.auth.PasswordHasher;
import io.berth.broker.auth.ScramCredentials;
import io.berth.broker.config.ListenerConfig;
import io.berth.broker.config.ListenerConfig.Transport;
import io.berth.broker.config.SecurityConfig;
import io.berth.codec.QoS;
import io.berth.codec.ReasonCode;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
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
 * Connection features against Berth, one broker for the class: username and password, SCRAM-SHA-256,
 * refusals with their reason codes, TLS (PEM and KeyStore trust, host name verification, client
 * certificates), WebSocket and secure WebSocket, the broker's Maximum Packet Size and the client's own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BerthConnectionIT {
    private static final int TCP = 0;
    private static final int TLS = 1;
    private static final int WS = 2;
    private static final int WSS = 3;
    private static final int TLS_CLIENT_CERT = 4;
    private static final int TLS_WRONG_HOST = 5;
    private static final int BROKER_MAX_PACKET = 2048;

    private Path dir;
    private TestCertificates.Issued ca;
    private Berth berth;
    private final List<MqttClient> clients = new ArrayList<>();

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        this.dir = dir;
        ca = TestCertificates.ca(dir, "test-ca");
        TestCertificates.Issued server = TestCertificates.server(dir, "server", ca);
        TestCertificates.Issued wrongHost = TestCertificates.serverNamed(dir, "other", ca, "other.example");
        Path passwd = dir.resolve("passwd");
        PasswordFile.empty()
                .with(
                        "alice",
                        PasswordHasher.hash("alice-pw".toCharArray(), 1000),
                        ScramCredentials.derive("alice-pw".toCharArray(), 4096))
                .write(passwd);
        List<ListenerConfig> listeners = List.of(
                ListenerConfig.tcp("127.0.0.1", 0),
                tls(Transport.TLS, server, false),
                ListenerConfig.ws("127.0.0.1", 0, "/mqtt"),
                tls(Transport.WSS, server, false),
                tls(Transport.TLS, server, true),
                tls(Transport.TLS, wrongHost, false));
        berth = Berth.builder()
                .port(0)
                .dataDir(dir.resolve("data"))
                .configure(b -> b.maxPacketSize(BROKER_MAX_PACKET)
                        .security(
                                SecurityConfig.DEFAULT.withListeners(listeners).withPasswordFile(passwd)))
                .build()
                .start();
    }

    private ListenerConfig tls(Transport transport, TestCertificates.Issued cert, boolean requireClientCert) {
        return new ListenerConfig(
                transport,
                "127.0.0.1",
                0,
                cert.certFile(),
                cert.keyFile(),
                requireClientCert ? ca.certFile() : null,
                requireClientCert,
                requireClientCert,
                "/mqtt");
    }

    @AfterAll
    void stop() {
        if (berth != null) {
            berth.close();
        }
    }

    @AfterEach
    void closeClients() {
        clients.forEach(MqttClient::close);
        clients.clear();
    }

    private MqttClientBuilder client(String id, int listener) {
        return MqttClient.builder()
                .serverAddress("127.0.0.1", berth.addresses().get(listener).getPort())
                .clientId(id);
    }

    private MqttClient connected(MqttClientBuilder b) {
        MqttClient c = b.build();
        clients.add(c);
        c.connect().join();
        return c;
    }

    /** Subscribes and publishes on {@code c}; true when the message came back. */
    private static boolean roundTrip(MqttClient c, String topic) throws InterruptedException {
        BlockingQueue<Message> got = new LinkedBlockingQueue<>();
        c.subscribe(topic, QoS.AT_LEAST_ONCE, got::add).join();
        c.publish(Message.of(topic, "hello", QoS.AT_LEAST_ONCE)).join();
        Message m = got.poll(10, TimeUnit.SECONDS);
        return m != null && m.payloadAsString().equals("hello");
    }

    @Test
    void usernameAndPassword_rightOneConnects_wrongOneIsRefusedWith0x86() throws Exception {
        assertThat(roundTrip(connected(client("pw-ok", TCP).credentials("alice", "alice-pw")), "pw/ok"))
                .isTrue();

        MqttClient wrong = client("pw-bad", TCP).credentials("alice", "nope").build();
        clients.add(wrong);
        assertThatThrownBy(() -> wrong.connect().join())
                .cause()
                .isInstanceOfSatisfying(
                        MqttClientException.class,
                        e -> assertThat(e.reasonCode()).isEqualTo(ReasonCode.BAD_USER_NAME_OR_PASSWORD));
    }

    @Test
    void scramSha256_rightPasswordConnects_wrongOneIsRefusedWith0x86() throws Exception {
        MqttClient c = connected(client("scram-ok", TCP).scramSha256("alice", "alice-pw".toCharArray()));
        assertThat(roundTrip(c, "scram/ok")).isTrue();

        MqttClient wrong = client("scram-bad", TCP)
                .scramSha256("alice", "wrong".toCharArray())
                .build();
        clients.add(wrong);
        assertThatThrownBy(() -> wrong.connect().join())
                .cause()
                .isInstanceOfSatisfying(
                        MqttClientException.class,
                        e -> assertThat(e.reasonCode()).isEqualTo(ReasonCode.BAD_USER_NAME_OR_PASSWORD));
    }

    @Test
    void tls_trustFromPemFile_hostNameVerified() throws Exception {
        MqttClient c = connected(client("tls-pem", TLS)
                .credentials("alice", "alice-pw")
                .tls(TlsConfig.builder().trustPem(ca.certFile()).build()));
        assertThat(roundTrip(c, "tls/pem")).isTrue();
    }

    @Test
    void tls_trustFromKeyStore() throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca.certificate());
        MqttClient c = connected(client("tls-ks", TLS)
                .credentials("alice", "alice-pw")
                .tls(TlsConfig.builder().trustStore(trust).build()));
        assertThat(roundTrip(c, "tls/ks")).isTrue();
    }

    @Test
    void tls_certificateForAnotherHost_failsHostNameVerification_unlessTurnedOff() throws Exception {
        MqttClient strict = client("tls-host", TLS_WRONG_HOST)
                .credentials("alice", "alice-pw")
                .tls(TlsConfig.builder().trustPem(ca.certFile()).build())
                .build();
        clients.add(strict);
        assertThatThrownBy(() -> strict.connect().join()).hasMessageContaining("SSL");

        MqttClient lax = connected(client("tls-lax", TLS_WRONG_HOST)
                .credentials("alice", "alice-pw")
                .tls(TlsConfig.builder()
                        .trustPem(ca.certFile())
                        .hostnameVerification(false)
                        .build()));
        assertThat(roundTrip(lax, "tls/lax")).isTrue();
    }

    @Test
    void tls_untrustedBroker_isRefused() {
        MqttClient c = client("tls-untrusted", TLS)
                .credentials("alice", "alice-pw")
                .tls(TlsConfig.DEFAULT) // the JDK's CAs do not know the test CA
                .build();
        clients.add(c);
        assertThatThrownBy(() -> c.connect().join()).hasMessageContaining("SSL");
    }

    @Test
    void tls_clientCertificate_fromPemFilesOrKeyStore_isTheUsername() throws Exception {
        TestCertificates.Issued device = TestCertificates.client(dir, "alice", ca);
        MqttClient c = connected(client("tls-cert", TLS_CLIENT_CERT)
                .tls(TlsConfig.builder()
                        .trustPem(ca.certFile())
                        .clientCertificatePem(device.certFile(), device.keyFile())
                        .build()));
        assertThat(roundTrip(c, "tls/cert")).isTrue();

        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry(
                "device", device.key(), "pw".toCharArray(), new java.security.cert.Certificate[] {device.certificate()
                });
        MqttClient fromKeyStore = connected(client("tls-cert-ks", TLS_CLIENT_CERT)
                .tls(TlsConfig.builder()
                        .trustPem(ca.certFile())
                        .clientKeyStore(keys, "pw".toCharArray())
                        .build()));
        assertThat(roundTrip(fromKeyStore, "tls/cert-ks")).isTrue();

        MqttClient without = client("tls-nocert", TLS_CLIENT_CERT)
                .tls(TlsConfig.builder().trustPem(ca.certFile()).build())
                .build();
        clients.add(without);
        assertThatThrownBy(() -> without.connect().join()).isInstanceOf(RuntimeException.class);
    }

    @Test
    void webSocket_andSecureWebSocket() throws Exception {
        MqttClient ws =
                connected(client("ws", WS).credentials("alice", "alice-pw").webSocket("/mqtt"));
        assertThat(roundTrip(ws, "ws/plain")).isTrue();

        MqttClient wss = connected(client("wss", WSS)
                .credentials("alice", "alice-pw")
                .webSocket("/mqtt")
                .tls(TlsConfig.builder().trustPem(ca.certFile()).build()));
        assertThat(roundTrip(wss, "ws/secure")).isTrue();
    }

    @Test
    void brokersMaximumPacketSize_limitsPublish_andTheClientsOwnLimitsWhatTheBrokerSends() throws Exception {
        BlockingQueue<Message> small = new LinkedBlockingQueue<>();
        MqttClient limited =
                connected(client("small", TCP).credentials("alice", "alice-pw").maxPacketSize(256));
        limited.subscribe("size/#", QoS.AT_LEAST_ONCE, small::add).join();
        MqttClient pub = connected(client("size-pub", TCP).credentials("alice", "alice-pw"));

        assertThatThrownBy(() -> pub.publish(Message.of("size/x", new byte[BROKER_MAX_PACKET], QoS.AT_LEAST_ONCE)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maximum packet size of " + BROKER_MAX_PACKET);
        pub.publish(Message.of("size/big", new byte[1000], QoS.AT_LEAST_ONCE)).join();
        pub.publish(Message.of("size/small", new byte[10], QoS.AT_LEAST_ONCE)).join();

        Message first = small.poll(10, TimeUnit.SECONDS);
        assertThat(first).isNotNull();
        assertThat(first.topic())
                .as("the broker drops what exceeds the client's maximum")
                .isEqualTo("size/small");
        assertThat(limited.isConnected()).isTrue();
    }

    @Test
    void reconnectWithoutSession_sessionPresent0_resubscribesAndResendsEverything() throws Exception {
        // Session Expiry 0: the broker forgets the session with every connection, so each reconnect is
        // answered with Session Present 0
        try (CuttableProxy proxy = new CuttableProxy(berth.addresses().get(TCP).getPort())) {
            Received received = new Received();
            List<ConnectResult> connects = new java.util.concurrent.CopyOnWriteArrayList<>();
            MqttClient sub = connected(MqttClient.builder()
                    .serverAddress("127.0.0.1", proxy.port())
                    .clientId("lost-sub")
                    .credentials("alice", "alice-pw")
                    .cleanStart(false)
                    .reconnectDelay(Duration.ofMillis(10), Duration.ofMillis(100))
                    .connectionListener(new ConnectionListener() {
                        @Override
                        public void onConnected(ConnectResult r) {
                            connects.add(r);
                        }
                    }));
            sub.subscribe("lost/#", QoS.AT_LEAST_ONCE, received).join();
            MqttClient pub = connected(MqttClient.builder()
                    .serverAddress("127.0.0.1", proxy.port())
                    .clientId("lost-pub")
                    .credentials("alice", "alice-pw")
                    .cleanStart(false)
                    .reconnectDelay(Duration.ofMillis(10), Duration.ofMillis(100)));

            List<PublishFuture> futures = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                futures.add(pub.publish(Message.of("lost/x", "m" + i, QoS.values()[1 + i % 2])));
                if (i == 100 || i == 300) {
                    proxy.cutAll();
                }
            }

            futures.forEach(PublishFuture::join);
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> received.distinct() == 500);
            assertThat(connects.size()).isGreaterThan(1);
            assertThat(connects.subList(1, connects.size()))
                    .as("every reconnect finds no session")
                    .allMatch(r -> !r.sessionPresent());
        }
    }
}
