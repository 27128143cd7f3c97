package io.berth.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.datatypes.Mqtt5UserProperty;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PayloadFormatIndicator;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.berth.codec.QoS;
import io.berth.codec.ReasonCode;
import io.berth.codec.RetainHandling;
import io.berth.codec.UserProperty;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
 * MQTT 5 message properties, subscription options, request/response, wills and topic aliases, with the
 * other side checked independently by the HiveMQ MQTT client. One broker for the whole class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class Mqtt5FeatureScenarios {
    /** The broker these scenarios run against. */
    abstract TestBroker.Kind kind();

    /**
     * Whether the broker sends a delayed will at once when a DISCONNECT ends the session (Session Expiry
     * 0): [MQTT-3.1.3-9] says the will waits for the delay or the end of the session, whichever comes first.
     */
    boolean sendsDelayedWillWhenTheSessionEnds() {
        return true;
    }

    private TestBroker broker;
    private final List<MqttClient> clients = new ArrayList<>();
    private final List<Mqtt5BlockingClient> hivemqClients = new ArrayList<>();

    @BeforeAll
    void startBroker(@TempDir Path dir) throws Exception {
        assumeTrue(kind().available(), kind() + " is not available");
        broker = kind().start(dir);
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
        hivemqClients.forEach(h -> {
            if (h.getState().isConnected()) {
                h.disconnect();
            }
        });
        hivemqClients.clear();
    }

    private MqttClientBuilder client(String id) {
        return MqttClient.builder().serverAddress("127.0.0.1", broker.port()).clientId(id);
    }

    private MqttClient connected(MqttClientBuilder b) {
        MqttClient c = b.build();
        clients.add(c);
        c.connect().join();
        return c;
    }

    private Mqtt5BlockingClient hivemq(String id) {
        Mqtt5BlockingClient h = com.hivemq.client.mqtt.MqttClient.builder()
                .useMqttVersion5()
                .identifier(id)
                .serverHost("127.0.0.1")
                .serverPort(broker.port())
                .buildBlocking();
        h.connect();
        hivemqClients.add(h);
        return h;
    }

    private static Message everyProperty(String topic) {
        return Message.builder(topic)
                .payload("{\"t\":21.5}")
                .qos(QoS.AT_LEAST_ONCE)
                .contentType("application/json")
                .messageExpiry(Duration.ofHours(1))
                .responseTopic("replies/" + topic)
                .correlationData(new byte[] {1, 2, 3})
                .userProperty("unit", "celsius")
                .userProperty("unit", "kelvin")
                .build();
    }

    @Test
    void publishWithEveryProperty_arrivesWithThem_atTheHiveMqClientAndAtBerthClient() throws Exception {
        Mqtt5BlockingClient h = hivemq("props-hivemq");
        BlockingQueue<Message> received = new LinkedBlockingQueue<>();
        MqttClient sub = connected(client("props-sub"));
        sub.subscribe(
                        Subscription.builder("props/#")
                                .qos(QoS.AT_LEAST_ONCE)
                                .subscriptionIdentifier(7)
                                .build(),
                        received::add)
                .join();
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = h.publishes(MqttGlobalPublishFilter.ALL)) {
            h.subscribeWith().topicFilter("props/#").qos(MqttQos.AT_LEAST_ONCE).send();
            MqttClient pub = connected(client("props-pub"));

            pub.publish(everyProperty("props/1")).join();

            Mqtt5Publish p = publishes.receive(10, TimeUnit.SECONDS).orElseThrow();
            assertThat(p.getTopic().toString()).isEqualTo("props/1");
            assertThat(p.getContentType().orElseThrow().toString()).isEqualTo("application/json");
            assertThat(p.getPayloadFormatIndicator()).contains(Mqtt5PayloadFormatIndicator.UTF_8);
            assertThat(p.getMessageExpiryInterval().getAsLong()).isBetween(3590L, 3600L);
            assertThat(p.getResponseTopic().orElseThrow().toString()).isEqualTo("replies/props/1");
            assertThat(bytes(p.getCorrelationData().orElseThrow())).containsExactly(1, 2, 3);
            assertThat(p.getUserProperties().asList())
                    .extracting(u -> u.getName() + "=" + u.getValue())
                    .containsExactly("unit=celsius", "unit=kelvin");
        }
        Message m = received.poll(10, TimeUnit.SECONDS);
        assertThat(m).isNotNull();
        MessageProperties p = m.properties();
        assertThat(p.contentType()).isEqualTo("application/json");
        assertThat(p.utf8Payload()).isTrue();
        assertThat(p.messageExpiry()).isBetween(Duration.ofSeconds(3590), Duration.ofHours(1));
        assertThat(p.responseTopic()).isEqualTo("replies/props/1");
        assertThat(p.correlationData()).containsExactly(1, 2, 3);
        assertThat(p.userProperties())
                .containsExactly(new UserProperty("unit", "celsius"), new UserProperty("unit", "kelvin"));
        assertThat(p.subscriptionIdentifiers()).containsExactly(7);
    }

    @Test
    void hiveMqPublishWithProperties_reachesBerthClientWithThem() throws Exception {
        BlockingQueue<Message> received = new LinkedBlockingQueue<>();
        connected(client("from-hivemq-sub"))
                .subscribe("fromh/#", QoS.AT_LEAST_ONCE, received::add)
                .join();
        hivemq("from-hivemq-pub")
                .publishWith()
                .topic("fromh/x")
                .qos(MqttQos.AT_LEAST_ONCE)
                .payload("hi".getBytes(StandardCharsets.UTF_8))
                .contentType("text/plain")
                .payloadFormatIndicator(Mqtt5PayloadFormatIndicator.UTF_8)
                .correlationData("c1".getBytes(StandardCharsets.UTF_8))
                .responseTopic("back")
                .userProperties(com.hivemq.client.mqtt.mqtt5.datatypes.Mqtt5UserProperties.of(
                        Mqtt5UserProperty.of("who", "hivemq")))
                .send();

        Message m = received.poll(10, TimeUnit.SECONDS);
        assertThat(m).isNotNull();
        assertThat(m.payloadAsString()).isEqualTo("hi");
        assertThat(m.properties().contentType()).isEqualTo("text/plain");
        assertThat(m.properties().utf8Payload()).isTrue();
        assertThat(m.properties().responseTopic()).isEqualTo("back");
        assertThat(new String(m.properties().correlationData(), StandardCharsets.UTF_8))
                .isEqualTo("c1");
        assertThat(m.properties().userProperty("who")).isEqualTo("hivemq");
    }

    @Test
    void noLocal_keepsTheClientsOwnMessagesAway() throws Exception {
        BlockingQueue<Message> received = new LinkedBlockingQueue<>();
        MqttClient c = connected(client("nolocal"));
        c.subscribe(
                        Subscription.builder("nl/t")
                                .qos(QoS.AT_LEAST_ONCE)
                                .noLocal(true)
                                .build(),
                        received::add)
                .join();

        c.publish(Message.of("nl/t", "mine", QoS.AT_LEAST_ONCE)).join();
        connected(client("nolocal-other"))
                .publish(Message.of("nl/t", "theirs", QoS.AT_LEAST_ONCE))
                .join();

        assertThat(received.poll(10, TimeUnit.SECONDS).payloadAsString()).isEqualTo("theirs");
        assertThat(received).isEmpty();
    }

    @Test
    void retainAsPublished_andRetainHandling() throws Exception {
        MqttClient pub = connected(client("ret-pub"));
        pub.publish(Message.builder("ret/old")
                        .payload("old")
                        .qos(QoS.AT_LEAST_ONCE)
                        .retain(true)
                        .build())
                .join();
        BlockingQueue<Message> asPublished = new LinkedBlockingQueue<>();
        BlockingQueue<Message> plain = new LinkedBlockingQueue<>();
        BlockingQueue<Message> noRetained = new LinkedBlockingQueue<>();
        connected(client("ret-a"))
                .subscribe(
                        Subscription.builder("ret/#")
                                .qos(QoS.AT_LEAST_ONCE)
                                .retainAsPublished(true)
                                .build(),
                        asPublished::add)
                .join();
        connected(client("ret-b"))
                .subscribe(Subscription.of("ret/#", QoS.AT_LEAST_ONCE), plain::add)
                .join();
        connected(client("ret-c"))
                .subscribe(
                        Subscription.builder("ret/#")
                                .qos(QoS.AT_LEAST_ONCE)
                                .retainHandling(RetainHandling.DO_NOT_SEND)
                                .build(),
                        noRetained::add)
                .join();
        try {
            assertThat(asPublished.poll(10, TimeUnit.SECONDS).retain()).isTrue(); // retained on subscribe
            assertThat(plain.poll(10, TimeUnit.SECONDS).retain()).isTrue();

            pub.publish(Message.builder("ret/new")
                            .payload("new")
                            .qos(QoS.AT_LEAST_ONCE)
                            .retain(true)
                            .build())
                    .join();

            Message a = asPublished.poll(10, TimeUnit.SECONDS);
            Message b = plain.poll(10, TimeUnit.SECONDS);
            Message c = noRetained.poll(10, TimeUnit.SECONDS);
            assertThat(List.of(a.payloadAsString(), b.payloadAsString(), c.payloadAsString()))
                    .containsOnly("new");
            assertThat(a.retain()).as("Retain As Published keeps the flag").isTrue();
            assertThat(b.retain())
                    .as("without it the flag is cleared [MQTT-3.3.1-12]")
                    .isFalse();
            assertThat(noRetained)
                    .as("Retain Handling 2 sends no retained message")
                    .isEmpty();
        } finally {
            for (String t : List.of("ret/old", "ret/new")) {
                pub.publish(new Message(t, new byte[0], QoS.AT_LEAST_ONCE, true))
                        .join();
            }
        }
    }

    @Test
    void requestResponse_helperMatchesTheCorrelationData() {
        MqttClient responder = connected(client("responder"));
        responder
                .subscribe(
                        "svc/echo",
                        QoS.AT_LEAST_ONCE,
                        req -> responder.publish(req.replyBuilder()
                                .payload("echo:" + req.payloadAsString())
                                .build()))
                .join();
        MqttClient requester = connected(client("requester"));

        Message response = requester
                .request(
                        Message.builder("svc/echo")
                                .payload("ping")
                                .qos(QoS.AT_LEAST_ONCE)
                                .responseTopic("svc/replies/requester")
                                .build(),
                        Duration.ofSeconds(10))
                .join();

        assertThat(response.payloadAsString()).isEqualTo("echo:ping");
        assertThat(response.topic()).isEqualTo("svc/replies/requester");
        assertThat(response.properties().correlationData()).hasSize(16);
    }

    @Test
    void willWithProperties_isPublishedOnDisconnectWithWill() throws Exception {
        Mqtt5BlockingClient h = hivemq("will-watcher");
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = h.publishes(MqttGlobalPublishFilter.ALL)) {
            h.subscribeWith().topicFilter("wills/#").qos(MqttQos.AT_LEAST_ONCE).send();
            MqttClient c = client("will-client")
                    .will(
                            Message.builder("wills/will-client")
                                    .payload("gone")
                                    .qos(QoS.AT_LEAST_ONCE)
                                    .contentType("text/plain")
                                    .userProperty("cause", "test")
                                    .build(),
                            Duration.ZERO)
                    .build();
            c.connect().join();

            c.close(Disconnect.WITH_WILL);

            Optional<Mqtt5Publish> will = publishes.receive(10, TimeUnit.SECONDS);
            assertThat(will).isPresent();
            assertThat(new String(will.get().getPayloadAsBytes(), StandardCharsets.UTF_8))
                    .isEqualTo("gone");
            assertThat(will.get().getContentType().orElseThrow().toString()).isEqualTo("text/plain");
            assertThat(will.get().getUserProperties().asList())
                    .extracting(u -> u.getName() + "=" + u.getValue())
                    .containsExactly("cause=test");
        }
    }

    /**
     * [MQTT-3.1.3-9]: a new connection to the session within the Will Delay Interval keeps the will from
     * being sent; the session ending (Session Expiry 0 in the DISCONNECT) sends it before the delay.
     */
    @Test
    void willDelay_reconnectWithinIt_sendsNoWill_andTheSessionEndingSendsItAtOnce() throws Exception {
        Mqtt5BlockingClient h = hivemq("delay-watcher");
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = h.publishes(MqttGlobalPublishFilter.ALL)) {
            h.subscribeWith()
                    .topicFilter("delayed-wills/#")
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .send();
            MqttClientBuilder b = client("delay-client")
                    .cleanStart(false)
                    .sessionExpiry(Duration.ofMinutes(5))
                    .will(Message.of("delayed-wills/delay-client", "gone", QoS.AT_LEAST_ONCE), Duration.ofMinutes(2));
            MqttClient first = b.build();
            clients.add(first);
            first.connect().join();
            first.close(Disconnect.WITH_WILL);

            MqttClient second = b.build();
            clients.add(second);
            second.connect().join();
            assertThat(publishes.receive(1, TimeUnit.SECONDS))
                    .as("no will: the session was taken up again within the delay")
                    .isEmpty();

            second.close(new Disconnect(ReasonCode.DISCONNECT_WITH_WILL_MESSAGE, null, Duration.ZERO, List.of()));
            if (!sendsDelayedWillWhenTheSessionEnds()) {
                return;
            }
            Optional<Mqtt5Publish> will = publishes.receive(10, TimeUnit.SECONDS);
            assertThat(will).as("the session ended before the delay").isPresent();
            assertThat(new String(will.get().getPayloadAsBytes(), StandardCharsets.UTF_8))
                    .isEqualTo("gone");
        }
    }

    @Test
    void manyTopicsPastTheBrokersAliasMaximum_allArriveUnderTheirOwnTopic() throws Exception {
        Mqtt5BlockingClient h = hivemq("alias-watcher");
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = h.publishes(MqttGlobalPublishFilter.ALL)) {
            h.subscribeWith().topicFilter("alias/#").qos(MqttQos.AT_LEAST_ONCE).send();
            MqttClient pub = connected(client("alias-pub"));
            List<PublishFuture> sent = new ArrayList<>();
            for (int i = 0; i < 200; i++) { // 100 topics, each twice: past every broker's alias maximum here
                sent.add(pub.publish(Message.of("alias/" + (i % 100), "m" + i, QoS.AT_LEAST_ONCE)));
            }
            sent.forEach(PublishFuture::join);

            for (int i = 0; i < 200; i++) {
                Mqtt5Publish p = publishes.receive(10, TimeUnit.SECONDS).orElseThrow();
                String payload = new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8);
                assertThat(p.getTopic().toString()).isEqualTo("alias/" + Integer.parseInt(payload.substring(1)) % 100);
            }
        }
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.duplicate().get(a);
        return a;
    }
}
