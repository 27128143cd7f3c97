package io.berth.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import io.berth.broker.config.SecurityConfig;
import io.berth.codec.ConnackPacket;
import io.berth.codec.MqttProperties;
import io.berth.codec.MqttVersion;
import io.berth.codec.PubackPacket;
import io.berth.codec.PubcompPacket;
import io.berth.codec.PublishPacket;
import io.berth.codec.PubrecPacket;
import io.berth.codec.PubrelPacket;
import io.berth.codec.QoS;
import io.berth.codec.ReasonCode;
import io.berth.codec.SubackPacket;
import io.berth.codec.SubscribePacket;
import io.berth.codec.TopicSubscription;
import io.berth.codec.Will;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The ACL on the wire, for 3.1.1 and 5.0: publish, subscribe, will, retained and live delivery. */
class AclEnforcementTest {
    private static final String ACL = """
      user admin
        all #
      user alice
        all own/#
      user bob
        subscribe secret/#
        receive secret/public/#
      user carol
        all #
        deny subscribe secret/#
      """;

    @TempDir
    Path dir;

    private Path aclFile;
    private TestBroker broker;

    @BeforeEach
    void start() throws Exception {
        aclFile = dir.resolve("berth.acl");
        Files.writeString(aclFile, ACL);
        // no password file on loopback: usernames are taken as given, which is all the ACL needs here
        broker = new TestBroker(
                b -> b.security(SecurityConfig.DEFAULT.withAclFile(aclFile).withReloadCheckMillis(50)));
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    private RawClient login(MqttVersion v, String user) throws Exception {
        return RawClient.loggedIn(broker.port(), v, user + "-" + v, true, MqttProperties.EMPTY, user, null);
    }

    private static ReasonCode denied(MqttVersion v) {
        // 3.1.1 has one failure code (0x80) for SUBACK, which our decoder reads as Unspecified error
        return v.isV5() ? ReasonCode.NOT_AUTHORIZED : ReasonCode.UNSPECIFIED_ERROR;
    }

    @ParameterizedTest
    @EnumSource(
            value = MqttVersion.class,
            names = {"V3_1_1", "V5"})
    void deniedPublish_isNotRouted_andAnswered0x87OnlyOn5(MqttVersion v) throws Exception {
        try (RawClient admin = login(MqttVersion.V5, "admin");
                RawClient alice = login(v, "alice")) {
            admin.subscribe(1, "#", QoS.AT_LEAST_ONCE);
            alice.publish("forbidden/a", QoS.AT_LEAST_ONCE, 1, "no");
            ReasonCode expected = v.isV5() ? ReasonCode.NOT_AUTHORIZED : ReasonCode.SUCCESS;
            assertThat(alice.expect(PubackPacket.class).reasonCode()).isEqualTo(expected);
            alice.publish("forbidden/b", QoS.EXACTLY_ONCE, 2, "no");
            assertThat(alice.expect(PubrecPacket.class).reasonCode()).isEqualTo(expected);
            if (!v.isV5()) {
                // 3.1.1: the flow completes as the protocol requires, and nothing was delivered
                alice.send(PubrelPacket.of(2));
                assertThat(alice.expect(PubcompPacket.class).reasonCode()).isEqualTo(ReasonCode.SUCCESS);
            }
            alice.publish("forbidden/c", QoS.AT_MOST_ONCE, 0, "no");
            alice.publish("own/a", QoS.AT_LEAST_ONCE, 3, "yes");
            assertThat(alice.expect(PubackPacket.class).reasonCode()).isEqualTo(ReasonCode.SUCCESS);
            // the allowed message comes first: the denied ones never reached the subscriber
            PublishPacket p = admin.expect(PublishPacket.class);
            assertThat(p.topic()).isEqualTo("own/a");
            admin.send(PubackPacket.of(p.packetId()));
            admin.expectNothing(Duration.ofMillis(200));
        }
    }

    @ParameterizedTest
    @EnumSource(
            value = MqttVersion.class,
            names = {"V3_1_1", "V5"})
    void deniedSubscribe_isRefusedPerFilter(MqttVersion v) throws Exception {
        try (RawClient alice = login(v, "alice")) {
            alice.send(new SubscribePacket(
                    1,
                    List.of(
                            TopicSubscription.of("own/#", QoS.AT_LEAST_ONCE),
                            TopicSubscription.of("forbidden/#", QoS.AT_LEAST_ONCE),
                            TopicSubscription.of("#", QoS.AT_MOST_ONCE)),
                    MqttProperties.EMPTY));
            assertThat(alice.expect(SubackPacket.class).reasonCodes())
                    .containsExactly(ReasonCode.GRANTED_QOS_1, denied(v), denied(v));
        }
    }

    @ParameterizedTest
    @EnumSource(
            value = MqttVersion.class,
            names = {"V3_1_1", "V5"})
    void deniedWill_refusesTheConnect(MqttVersion v) throws Exception {
        try (RawClient alice = RawClient.open(broker.port(), v)) {
            Will will = new Will(
                    "forbidden/will",
                    "gone".getBytes(StandardCharsets.UTF_8),
                    QoS.AT_LEAST_ONCE,
                    false,
                    MqttProperties.EMPTY);
            ConnackPacket ack = alice.connect("alice-will", true, MqttProperties.EMPTY, will, "alice", null);
            // 5.0: 0x87; 3.1.1: return code 5, read back as the same reason
            assertThat(ack.reasonCode()).isEqualTo(ReasonCode.NOT_AUTHORIZED);
        }
        try (RawClient alice = RawClient.open(broker.port(), v)) {
            Will will = new Will(
                    "own/will",
                    "gone".getBytes(StandardCharsets.UTF_8),
                    QoS.AT_LEAST_ONCE,
                    false,
                    MqttProperties.EMPTY);
            assertThat(alice.connect("alice-will", true, MqttProperties.EMPTY, will, "alice", null)
                            .reasonCode())
                    .isEqualTo(ReasonCode.SUCCESS);
        }
    }

    @ParameterizedTest
    @EnumSource(
            value = MqttVersion.class,
            names = {"V3_1_1", "V5"})
    void receiveRight_filtersRetainedAndLiveMessages(MqttVersion v) throws Exception {
        try (RawClient admin = login(MqttVersion.V5, "admin")) {
            admin.send(new PublishPacket(
                    "secret/private/a",
                    QoS.AT_LEAST_ONCE,
                    true,
                    false,
                    1,
                    "hidden".getBytes(StandardCharsets.UTF_8),
                    MqttProperties.EMPTY));
            admin.expect(PubackPacket.class);
            admin.send(new PublishPacket(
                    "secret/public/a",
                    QoS.AT_LEAST_ONCE,
                    true,
                    false,
                    2,
                    "shown".getBytes(StandardCharsets.UTF_8),
                    MqttProperties.EMPTY));
            admin.expect(PubackPacket.class);
            try (RawClient bob = login(v, "bob")) {
                assertThat(bob.subscribe(1, "secret/#", QoS.AT_LEAST_ONCE).reasonCodes())
                        .containsExactly(ReasonCode.GRANTED_QOS_1);
                PublishPacket retained = bob.expect(PublishPacket.class);
                assertThat(retained.topic()).isEqualTo("secret/public/a");
                assertThat(retained.retain()).isTrue();
                bob.send(PubackPacket.of(retained.packetId()));
                admin.publish("secret/private/b", QoS.AT_LEAST_ONCE, 3, "hidden");
                admin.expect(PubackPacket.class);
                admin.publish("secret/public/b", QoS.AT_LEAST_ONCE, 4, "shown");
                admin.expect(PubackPacket.class);
                PublishPacket live = bob.expect(PublishPacket.class);
                assertThat(live.topic()).isEqualTo("secret/public/b");
                bob.send(PubackPacket.of(live.packetId()));
                bob.expectNothing(Duration.ofMillis(200));
            }
        }
    }

    @Test
    void denySubscribe_keepsItsTopicsOutOfWiderSubscriptions_liveAndRetained() throws Exception {
        try (RawClient admin = login(MqttVersion.V5, "admin")) {
            admin.send(new PublishPacket(
                    "secret/a",
                    QoS.AT_LEAST_ONCE,
                    true,
                    false,
                    1,
                    "hidden".getBytes(StandardCharsets.UTF_8),
                    MqttProperties.EMPTY));
            admin.expect(PubackPacket.class);
            admin.send(new PublishPacket(
                    "public/a",
                    QoS.AT_LEAST_ONCE,
                    true,
                    false,
                    2,
                    "shown".getBytes(StandardCharsets.UTF_8),
                    MqttProperties.EMPTY));
            admin.expect(PubackPacket.class);
            Mqtt5BlockingClient carol = MqttClient.builder()
                    .useMqttVersion5()
                    .identifier("carol-hivemq")
                    .serverHost("127.0.0.1")
                    .serverPort(broker.port())
                    .simpleAuth()
                    .username("carol")
                    .applySimpleAuth()
                    .buildBlocking();
            carol.connect();
            try (Mqtt5BlockingClient.Mqtt5Publishes received = carol.publishes(MqttGlobalPublishFilter.ALL)) {
                assertThatThrownBy(() -> carol.subscribeWith()
                                .topicFilter("secret/#")
                                .qos(MqttQos.AT_LEAST_ONCE)
                                .send())
                        .isInstanceOfSatisfying(
                                Mqtt5SubAckException.class,
                                e -> assertThat(e.getMqttMessage().getReasonCodes())
                                        .containsExactly(Mqtt5SubAckReasonCode.NOT_AUTHORIZED));
                for (String wider : List.of("#", "+/a", "+/b")) {
                    assertThat(carol.subscribeWith()
                                    .topicFilter(wider)
                                    .qos(MqttQos.AT_LEAST_ONCE)
                                    .send()
                                    .getReasonCodes())
                            .containsExactly(Mqtt5SubAckReasonCode.GRANTED_QOS_1);
                }
                admin.publish("secret/b", QoS.AT_LEAST_ONCE, 3, "hidden");
                admin.expect(PubackPacket.class);
                admin.publish("public/b", QoS.AT_LEAST_ONCE, 4, "shown");
                admin.expect(PubackPacket.class);
                List<String> topics = new java.util.ArrayList<>();
                java.util.Optional<Mqtt5Publish> p;
                while ((p = received.receive(500, java.util.concurrent.TimeUnit.MILLISECONDS)).isPresent()) {
                    topics.add(p.get().getTopic().toString());
                }
                // retained public/a on subscribing '#' and '+/a', live public/b once (overlapping
                // subscriptions of one session give one delivery): never secret/...
                assertThat(topics).containsExactlyInAnyOrder("public/a", "public/a", "public/b");
            } finally {
                carol.disconnect();
            }
        }
    }

    @Test
    void aclChanges_applyWithoutRestart() throws Exception {
        try (RawClient alice = login(MqttVersion.V5, "alice")) {
            alice.publish("news/a", QoS.AT_LEAST_ONCE, 1, "x");
            assertThat(alice.expect(PubackPacket.class).reasonCode()).isEqualTo(ReasonCode.NOT_AUTHORIZED);
            Files.writeString(aclFile, ACL + "user alice\n  publish news/#\n");
            int[] id = {2};
            await().atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(100))
                    .untilAsserted(() -> {
                        alice.publish("news/a", QoS.AT_LEAST_ONCE, id[0]++, "x");
                        assertThat(alice.expect(PubackPacket.class).reasonCode())
                                .isEqualTo(ReasonCode.SUCCESS);
                    });
        }
        assertThat(broker.berth().metrics().securityCount("berth_acl_denied_total", "publish"))
                .isGreaterThan(0);
    }
}
