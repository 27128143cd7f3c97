package io.berth.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.berth.codec.AuthPacket;
import io.berth.codec.ConnackPacket;
import io.berth.codec.ConnectPacket;
import io.berth.codec.DisconnectPacket;
import io.berth.codec.MqttProperties;
import io.berth.codec.MqttVersion;
import io.berth.codec.PubackPacket;
import io.berth.codec.PublishPacket;
import io.berth.codec.QoS;
import io.berth.codec.ReasonCode;
import io.berth.codec.UserProperty;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What the client puts on the wire and how it takes what a broker sends, with a scripted broker on a raw
 * socket: CONNECT contents, refusals and redirections, DISCONNECT both ways, Receive Maximum both ways,
 * topic aliases both ways, the SCRAM server signature.
 */
class ClientWireIT {
    private static final ConnackPacket ACCEPT = new ConnackPacket(false, ReasonCode.SUCCESS, MqttProperties.EMPTY);

    private ScriptedBroker broker;
    private final List<MqttClient> clients = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        broker = new ScriptedBroker(MqttVersion.V5);
    }

    @AfterEach
    void stop() throws Exception {
        clients.forEach(MqttClient::close);
        broker.close();
    }

    private MqttClientBuilder client() {
        return MqttClient.builder()
                .serverAddress("127.0.0.1", broker.port())
                .clientId("wire")
                .keepAlive(Duration.ZERO)
                .reconnectDelay(Duration.ofMillis(10), Duration.ofMillis(50));
    }

    private MqttClient build(MqttClientBuilder b) {
        MqttClient c = b.build();
        clients.add(c);
        return c;
    }

    /** Connects {@code c}, answering its CONNECT with {@code connack}; returns the CONNECT. */
    private ConnectPacket connect(MqttClient c, ConnackPacket connack) throws Exception {
        CompletableFuture<ConnectResult> done = c.connect();
        broker.accept();
        ConnectPacket connect = broker.expect(ConnectPacket.class);
        broker.send(connack);
        done.join();
        return connect;
    }

    @Test
    void connect_carriesWillWithPropertiesAndDelay_limitsAndCredentials() throws Exception {
        Message will = Message.builder("status/wire")
                .payload("offline")
                .qos(QoS.AT_LEAST_ONCE)
                .retain(true)
                .contentType("text/plain")
                .messageExpiry(Duration.ofMinutes(5))
                .userProperty("reason", "lost")
                .build();
        MqttClient c = build(client().credentials("alice", "secret")
                .will(will, Duration.ofSeconds(30))
                .receiveMaximum(5)
                .topicAliasMaximum(4)
                .maxPacketSize(4096));

        ConnectPacket connect = connect(c, ACCEPT);

        assertThat(connect.username()).isEqualTo("alice");
        assertThat(new String(connect.password(), StandardCharsets.UTF_8)).isEqualTo("secret");
        assertThat(connect.properties().receiveMaximum()).isEqualTo(5);
        assertThat(connect.properties().topicAliasMaximum()).isEqualTo(4);
        assertThat(connect.properties().maximumPacketSize()).isEqualTo(4096L);
        assertThat(connect.will().topic()).isEqualTo("status/wire");
        assertThat(connect.will().qos()).isEqualTo(QoS.AT_LEAST_ONCE);
        assertThat(connect.will().retain()).isTrue();
        MqttProperties wp = connect.will().properties();
        assertThat(wp.willDelayInterval()).isEqualTo(30L);
        assertThat(wp.payloadFormatIndicator()).isEqualTo(1);
        assertThat(wp.contentType()).isEqualTo("text/plain");
        assertThat(wp.messageExpiryInterval()).isEqualTo(300L);
        assertThat(wp.userProperties()).containsExactly(new UserProperty("reason", "lost"));
    }

    @ParameterizedTest
    @EnumSource(
            value = ReasonCode.class,
            names = {"USE_ANOTHER_SERVER", "SERVER_MOVED"})
    void refusalWithRedirection_surfacesReasonCodeStringAndServerReference(ReasonCode redirection) throws Exception {
        MqttClient c = build(client());
        CompletableFuture<ConnectResult> done = c.connect();
        broker.accept();
        broker.expect(ConnectPacket.class);
        broker.send(new ConnackPacket(
                false,
                redirection,
                MqttProperties.builder()
                        .reasonString("draining")
                        .serverReference("other.example:1883")
                        .build()));

        assertThatThrownBy(done::join).cause().isInstanceOfSatisfying(MqttClientException.class, e -> {
            assertThat(e.reasonCode()).isEqualTo(redirection);
            assertThat(e.reasonString()).isEqualTo("draining");
            assertThat(e.serverReference()).isEqualTo("other.example:1883");
            assertThat(e.isRedirection()).isTrue();
            assertThat(e.getMessage())
                    .contains(String.format("0x%02x", redirection.code()), "draining", "other.example:1883");
        });
    }

    @ParameterizedTest
    @EnumSource(
            value = ReasonCode.class,
            names = {"USE_ANOTHER_SERVER", "SERVER_MOVED"})
    void brokerDisconnectWithRedirection_reachesTheListenerWithItsDetails(ReasonCode redirection) throws Exception {
        List<MqttClientException> causes = new CopyOnWriteArrayList<>();
        MqttClient c = build(client().connectionListener(new ConnectionListener() {
            @Override
            public void onDisconnected(MqttClientException cause) {
                causes.add(cause);
            }
        }));
        connect(c, ACCEPT);

        broker.send(new DisconnectPacket(
                redirection,
                MqttProperties.builder()
                        .serverReference("new.example")
                        .reasonString("moved")
                        .build()));

        await().until(() -> !causes.isEmpty());
        assertThat(causes.get(0).reasonCode()).isEqualTo(redirection);
        assertThat(causes.get(0).isRedirection()).isTrue();
        assertThat(causes.get(0).serverReference()).isEqualTo("new.example");
        assertThat(causes.get(0).reasonString()).isEqualTo("moved");
    }

    @Test
    void closeWithDisconnect_sendsReasonCodeAndProperties() throws Exception {
        MqttClient c = build(client().cleanStart(false).sessionExpiry(Duration.ofHours(1)));
        connect(c, ACCEPT);

        c.close(new Disconnect(
                ReasonCode.DISCONNECT_WITH_WILL_MESSAGE,
                "going away",
                Duration.ZERO,
                List.of(new UserProperty("k", "v"))));

        DisconnectPacket d = broker.expect(DisconnectPacket.class);
        assertThat(d.reasonCode()).isEqualTo(ReasonCode.DISCONNECT_WITH_WILL_MESSAGE);
        assertThat(d.properties().reasonString()).isEqualTo("going away");
        assertThat(d.properties().sessionExpiryInterval()).isEqualTo(0L);
        assertThat(d.properties().userProperties()).containsExactly(new UserProperty("k", "v"));
    }

    @Test
    void closeRaisingSessionExpiryFromZero_isRefusedAtOnce() {
        MqttClient c = build(client());
        assertThatThrownBy(() -> c.close(new Disconnect(ReasonCode.SUCCESS, null, Duration.ofMinutes(1), List.of())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("MQTT-3.14.2-2");
    }

    @Test
    void brokerExceedingTheClientsReceiveMaximum_getsDisconnect0x93() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        MqttClient c = build(client().receiveMaximum(2).defaultHandler(m -> {
            try {
                release.await(); // the handler holds every acknowledgement back
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        connect(c, ACCEPT);

        for (int id = 1; id <= 3; id++) {
            broker.send(new PublishPacket("t", QoS.AT_LEAST_ONCE, false, false, id, new byte[1], MqttProperties.EMPTY));
        }

        assertThat(broker.expect(DisconnectPacket.class).reasonCode()).isEqualTo(ReasonCode.RECEIVE_MAXIMUM_EXCEEDED);
        release.countDown();
    }

    @Test
    void outgoingTopicAliases_withinTheBrokersMaximum() throws Exception {
        MqttClient c = build(client());
        connect(
                c,
                new ConnackPacket(
                        false,
                        ReasonCode.SUCCESS,
                        MqttProperties.builder().topicAliasMaximum(2).build()));

        for (String topic : List.of("a", "a", "b", "c", "a")) {
            c.publish(Message.of(topic, "x", QoS.AT_MOST_ONCE));
        }

        List<String> seen = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            PublishPacket p = broker.expect(PublishPacket.class);
            seen.add(p.topic() + ":" + p.properties().topicAlias());
        }
        assertThat(seen).containsExactly("a:1", ":1", "b:2", "c:null", ":1");
    }

    @Test
    void incomingTopicAliases_areResolved_andOneBeyondTheMaximumIs0x94() throws Exception {
        List<String> topics = new CopyOnWriteArrayList<>();
        MqttClient c = build(client().topicAliasMaximum(2).defaultHandler(m -> topics.add(m.topic())));
        connect(c, ACCEPT);

        broker.send(
                new PublishPacket("x/y", QoS.AT_MOST_ONCE, false, false, 0, new byte[0], alias(1)),
                new PublishPacket("", QoS.AT_MOST_ONCE, false, false, 0, new byte[0], alias(1)));
        await().until(() -> topics.size() == 2);
        assertThat(topics).containsExactly("x/y", "x/y");

        broker.send(new PublishPacket("z", QoS.AT_MOST_ONCE, false, false, 0, new byte[0], alias(3)));
        assertThat(broker.expect(DisconnectPacket.class).reasonCode()).isEqualTo(ReasonCode.TOPIC_ALIAS_INVALID);
    }

    private static MqttProperties alias(int alias) {
        return MqttProperties.builder().topicAlias(alias).build();
    }

    @Test
    void brokersReceiveMaximumShrinksOnReconnect_resendsOnlyWhatTheNewWindowAllows() throws Exception {
        MqttClient c = build(client().cleanStart(false).sessionExpiry(Duration.ofHours(1)));
        connect(c, new ConnackPacket(false, ReasonCode.SUCCESS, receiveMaximum(4)));
        List<PublishFuture> futures = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            futures.add(c.publish(Message.of("w", "m" + i, QoS.AT_LEAST_ONCE)));
        }
        for (int i = 0; i < 4; i++) {
            assertThat(broker.expect(PublishPacket.class).dup()).isFalse();
        }
        broker.drop();

        broker.accept();
        broker.expect(ConnectPacket.class);
        broker.send(new ConnackPacket(true, ReasonCode.SUCCESS, receiveMaximum(2)));
        PublishPacket first = broker.expect(PublishPacket.class);
        PublishPacket second = broker.expect(PublishPacket.class);
        assertThat(List.of(first.dup(), second.dup())).containsOnly(true);
        assertThat(broker.silentFor(500))
                .as("nothing beyond the new window of 2")
                .isTrue();

        broker.send(PubackPacket.of(first.packetId()));
        PublishPacket third = broker.expect(PublishPacket.class);
        assertThat(third.dup()).isTrue();
        assertThat(third.payload()).isNotEqualTo(first.payload()).isNotEqualTo(second.payload());
        futures.get(0).join();
    }

    private static MqttProperties receiveMaximum(int n) {
        return MqttProperties.builder().receiveMaximum(n).build();
    }

    @Test
    void messageThatExpiresInTheSendBuffer_isDroppedNotSent_andTheOthersCountDown() throws Exception {
        List<String> dropped = new CopyOnWriteArrayList<>();
        MqttClient c = build(client().droppedListener((m, why) -> dropped.add(m.payloadAsString() + ": " + why)));
        PublishFuture expiring = c.publish(Message.builder("e")
                .payload("short")
                .qos(QoS.AT_LEAST_ONCE)
                .messageExpiry(Duration.ofSeconds(1))
                .build());
        c.publish(Message.builder("e")
                .payload("long")
                .qos(QoS.AT_LEAST_ONCE)
                .messageExpiry(Duration.ofHours(1))
                .build());
        long handedOver = System.nanoTime();
        await().until(() -> System.nanoTime() - handedOver > 1_100_000_000L); // offline past the first expiry

        connect(c, ACCEPT);

        PublishPacket sent = broker.expect(PublishPacket.class);
        assertThat(new String(sent.payload(), StandardCharsets.UTF_8)).isEqualTo("long");
        assertThat(sent.properties().messageExpiryInterval()).isBetween(3_590L, 3_599L); // counted down
        assertThatThrownBy(expiring::join).hasMessageContaining("expired");
        await().untilAsserted(
                        () -> // the listener runs on the callback thread, after the future failed
                        assertThat(dropped).containsExactly("short: message expired before it could be sent"));
    }

    @Test
    void scramWithAWrongServerSignature_isNotAccepted() throws Exception {
        MqttClient c = build(client().scramSha256("alice", "pencil".toCharArray()));
        CompletableFuture<ConnectResult> done = c.connect();
        broker.accept();
        ConnectPacket connect = broker.expect(ConnectPacket.class);
        assertThat(connect.properties().authenticationMethod()).isEqualTo("SCRAM-SHA-256");
        String clientFirst = new String(connect.properties().authenticationData(), StandardCharsets.UTF_8);
        assertThat(clientFirst).startsWith("n,,n=alice,r=");
        String nonce = clientFirst.substring(clientFirst.indexOf(",r=") + 3);
        broker.send(new AuthPacket(
                ReasonCode.CONTINUE_AUTHENTICATION,
                MqttProperties.builder()
                        .authenticationMethod("SCRAM-SHA-256")
                        .authenticationData(bytes("r=" + nonce + "srv,s=c2FsdHNhbHQ=,i=4096"))
                        .build()));
        AuthPacket clientFinal = broker.expect(AuthPacket.class);
        assertThat(new String(clientFinal.properties().authenticationData(), StandardCharsets.UTF_8))
                .startsWith("c=biws,r=" + nonce + "srv,p=");
        broker.send(new ConnackPacket(
                false,
                ReasonCode.SUCCESS,
                MqttProperties.builder()
                        .authenticationMethod("SCRAM-SHA-256")
                        .authenticationData(bytes("v=AAAA"))
                        .build()));

        assertThat(broker.expect(DisconnectPacket.class).reasonCode()).isEqualTo(ReasonCode.NOT_AUTHORIZED);
        assertThatThrownBy(done::join).hasMessageContaining("did not prove");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
