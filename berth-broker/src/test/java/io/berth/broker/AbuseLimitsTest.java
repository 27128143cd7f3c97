package io.berth.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.broker.config.AbuseLimits;
import io.berth.broker.config.SecurityConfig;
import io.berth.broker.metrics.BrokerMetrics;
import io.berth.codec.DisconnectPacket;
import io.berth.codec.MqttProperties;
import io.berth.codec.MqttVersion;
import io.berth.codec.QoS;
import io.berth.codec.ReasonCode;
import io.berth.codec.SubackPacket;
import io.berth.codec.SubscribePacket;
import io.berth.codec.TopicSubscription;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Each abuse limit refuses what it should and is counted in the metrics. */
class AbuseLimitsTest {
    private TestBroker broker;

    @AfterEach
    void stop() {
        broker.close();
    }

    private void start(UnaryOperator<AbuseLimits> limits) {
        start(limits, 10);
    }

    private void start(UnaryOperator<AbuseLimits> limits, int connectTimeout) {
        broker = new TestBroker(b -> b.connectTimeoutSeconds(connectTimeout)
                .security(SecurityConfig.DEFAULT.withAbuse(limits.apply(AbuseLimits.DEFAULT))));
    }

    private double hits(String limit) {
        BrokerMetrics m = broker.berth().metrics();
        return m.securityCount("berth_limit_hits_total", limit);
    }

    @Test
    void connectionsPerAddress_beyondTheLimit_areClosedAtOnce() throws Exception {
        start(l -> l.withMaxConnectionsPerAddress(2));
        List<RawClient> open = new ArrayList<>();
        try {
            open.add(RawClient.connected(broker.port(), MqttVersion.V5, "a", true, MqttProperties.EMPTY));
            open.add(RawClient.connected(broker.port(), MqttVersion.V5, "b", true, MqttProperties.EMPTY));
            RawClient third = RawClient.open(broker.port(), MqttVersion.V5);
            open.add(third);
            assertThat(third.awaitClosed(Duration.ofSeconds(5))).isTrue();
            assertThat(hits("max-connections-per-address")).isEqualTo(1);
            open.get(0).close();
            // a closed connection frees its place
            org.awaitility.Awaitility.await()
                    .atMost(Duration.ofSeconds(30))
                    .ignoreExceptions()
                    .untilAsserted(() -> {
                        try (RawClient again =
                                RawClient.connected(broker.port(), MqttVersion.V5, "c", true, MqttProperties.EMPTY)) {
                            assertThat(again).isNotNull();
                        }
                    });
        } finally {
            open.forEach(RawClient::close);
        }
    }

    @Test
    void failedConnects_beyondTheBurst_shortenTheTimeToConnect_butNeverRefuseAClientThatLogsIn() throws Exception {
        start(l -> l.withFailedConnectsPerSecondPerAddress(1), 60);
        // three failures (closed before CONNECT) use up the burst of two
        for (int i = 0; i < 3; i++) {
            RawClient.open(broker.port(), MqttVersion.V5).close();
        }
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(5))
                .until(() -> broker.berth()
                        .security()
                        .addressLimits()
                        .penalized(java.net.InetAddress.getByName("127.0.0.1")));
        // a connection that sends nothing is closed long before the connect timeout (60 s here)
        try (RawClient idle = RawClient.open(broker.port(), MqttVersion.V5)) {
            assertThat(idle.awaitClosed(Duration.ofSeconds(10))).isTrue();
        }
        assertThat(hits("failed-connect-rate-per-address")).isEqualTo(1);
        // a client that connects correctly from the same address is not refused
        try (RawClient ok = RawClient.connected(broker.port(), MqttVersion.V5, "ok", true, MqttProperties.EMPTY)) {
            assertThat(ok.subscribe(1, "a", QoS.AT_MOST_ONCE).reasonCodes()).containsExactly(ReasonCode.SUCCESS);
        }
    }

    @Test
    void connectionsPerAddress_whenFull_theOldestNotLoggedInMakesRoom() throws Exception {
        start(l -> l.withMaxConnectionsPerAddress(3));
        try (RawClient in = RawClient.connected(broker.port(), MqttVersion.V5, "in", true, MqttProperties.EMPTY);
                RawClient idle1 = RawClient.open(broker.port(), MqttVersion.V5);
                RawClient idle2 = RawClient.open(broker.port(), MqttVersion.V5)) {
            org.awaitility.Awaitility.await()
                    .atMost(Duration.ofSeconds(30))
                    .ignoreExceptions()
                    .untilAsserted(() -> {
                        try (RawClient late = RawClient.connected(
                                broker.port(), MqttVersion.V5, "late", true, MqttProperties.EMPTY)) {
                            assertThat(late.subscribe(1, "a", QoS.AT_MOST_ONCE).reasonCodes())
                                    .containsExactly(ReasonCode.SUCCESS);
                        }
                    });
            // the oldest connection that had not logged in was closed to make room; the logged-in one stays
            assertThat(idle1.awaitClosed(Duration.ofSeconds(30))).isTrue();
            assertThat(hits("evicted-before-login")).isGreaterThanOrEqualTo(1);
            assertThat(in.subscribe(2, "b", QoS.AT_MOST_ONCE).reasonCodes()).containsExactly(ReasonCode.SUCCESS);
        }
    }

    @Test
    void clientIdLength_beyondTheLimit_isRefused() throws Exception {
        start(l -> l.withMaxClientIdLength(23));
        try (RawClient c = RawClient.open(broker.port(), MqttVersion.V3_1_1)) {
            // 3.1.1 return code 2: identifier rejected
            assertThat(c.connect("x".repeat(24), true, MqttProperties.EMPTY, null)
                            .reasonCode())
                    .isEqualTo(ReasonCode.CLIENT_IDENTIFIER_NOT_VALID);
        }
        try (RawClient c = RawClient.open(broker.port(), MqttVersion.V5)) {
            assertThat(c.connect("x".repeat(23), true, MqttProperties.EMPTY, null)
                            .reasonCode())
                    .isEqualTo(ReasonCode.SUCCESS);
        }
        assertThat(hits("max-client-id-length")).isEqualTo(1);
    }

    @Test
    void subscriptionsPerSession_beyondTheLimit_areRefusedPerFilter() throws Exception {
        start(l -> l.withMaxSubscriptionsPerSession(2));
        try (RawClient c = RawClient.connected(broker.port(), MqttVersion.V5, "s", true, MqttProperties.EMPTY)) {
            c.send(new SubscribePacket(
                    1,
                    List.of(
                            TopicSubscription.of("a", QoS.AT_MOST_ONCE),
                            TopicSubscription.of("b", QoS.AT_MOST_ONCE),
                            TopicSubscription.of("c", QoS.AT_MOST_ONCE),
                            TopicSubscription.of("a", QoS.AT_LEAST_ONCE)),
                    MqttProperties.EMPTY));
            // replacing an existing subscription is always allowed
            assertThat(c.expect(SubackPacket.class).reasonCodes())
                    .containsExactly(
                            ReasonCode.SUCCESS,
                            ReasonCode.SUCCESS,
                            ReasonCode.QUOTA_EXCEEDED,
                            ReasonCode.GRANTED_QOS_1);
        }
        assertThat(hits("max-subscriptions-per-session")).isEqualTo(1);
    }

    @Test
    void topicLevels_beyondTheLimit_areRefused() throws Exception {
        start(l -> l.withMaxTopicLevels(3));
        try (RawClient c = RawClient.connected(broker.port(), MqttVersion.V5, "t", true, MqttProperties.EMPTY)) {
            assertThat(c.subscribe(1, "a/b/c/d", QoS.AT_MOST_ONCE).reasonCodes())
                    .containsExactly(ReasonCode.TOPIC_FILTER_INVALID);
            assertThat(c.subscribe(2, "a/b/#", QoS.AT_MOST_ONCE).reasonCodes()).containsExactly(ReasonCode.SUCCESS);
            c.publish("a/b/c/d", QoS.AT_MOST_ONCE, 0, "deep");
            assertThat(c.expect(DisconnectPacket.class).reasonCode()).isEqualTo(ReasonCode.TOPIC_NAME_INVALID);
        }
        assertThat(hits("max-topic-levels")).isEqualTo(2);
    }

    @Test
    void connect_mustArriveInTime_evenWhenBytesTrickleIn() throws Exception {
        start(l -> l, 1);
        try (RawClient c = RawClient.open(broker.port(), MqttVersion.V5)) {
            // a CONNECT header and then one byte at a time: the idle timer alone would never fire
            long start = System.nanoTime();
            c.sendHex("10 7f");
            boolean closed = false;
            for (int i = 0; i < 30 && !closed; i++) {
                try {
                    c.sendHex("00");
                } catch (IllegalStateException e) {
                    break;
                }
                closed = c.awaitClosed(Duration.ofMillis(200));
            }
            assertThat(closed || c.awaitClosed(Duration.ofSeconds(1))).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        }
    }

    private static MqttProperties persistent() {
        return MqttProperties.builder().sessionExpiryInterval(0xFFFFFFFFL).build();
    }

    @Test
    void sessionsPerPrincipal_beyondTheLimit_areRefusedAtConnect() throws Exception {
        start(l -> l.withMaxSessionsPerPrincipal(2));
        RawClient.connected(broker.port(), MqttVersion.V5, "s1", false, persistent())
                .close();
        RawClient.connected(broker.port(), MqttVersion.V5, "s2", false, persistent())
                .close();
        try (RawClient c = RawClient.open(broker.port(), MqttVersion.V5)) {
            // 5.0: 0x97 Quota exceeded
            assertThat(c.connect("s3", false, persistent(), null).reasonCode()).isEqualTo(ReasonCode.QUOTA_EXCEEDED);
        }
        try (RawClient c = RawClient.open(broker.port(), MqttVersion.V3_1_1)) {
            // 3.1.1 has no quota code: return code 3, Server unavailable [MQTT-3.2.2-6]
            assertThat(c.connect("s4", false, MqttProperties.EMPTY, null).reasonCode())
                    .isEqualTo(ReasonCode.SERVER_UNAVAILABLE);
        }
        // resuming an existing session is not a new one
        try (RawClient c = RawClient.open(broker.port(), MqttVersion.V5)) {
            assertThat(c.connect("s1", false, persistent(), null).reasonCode()).isEqualTo(ReasonCode.SUCCESS);
        }
        assertThat(hits("max-sessions-per-principal")).isEqualTo(2);
        // a session that ends frees its place
        try (RawClient c = RawClient.open(broker.port(), MqttVersion.V5)) {
            assertThat(c.connect("s2", true, MqttProperties.EMPTY, null).reasonCode())
                    .isEqualTo(ReasonCode.SUCCESS);
            c.send(io.berth.codec.DisconnectPacket.of(ReasonCode.SUCCESS));
            assertThat(c.awaitClosed(Duration.ofSeconds(5))).isTrue();
        }
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            try (RawClient c = RawClient.open(broker.port(), MqttVersion.V5)) {
                assertThat(c.connect("s5", false, persistent(), null).reasonCode())
                        .isEqualTo(ReasonCode.SUCCESS);
            }
        });
    }

    @Test
    void openQos2Exchanges_of311Clients_areHeldToTheReceiveMaximum() throws Exception {
        broker = new TestBroker(b -> b.receiveMaximum(3));
        try (RawClient c = RawClient.connected(broker.port(), MqttVersion.V3_1_1, "q2", true, MqttProperties.EMPTY)) {
            for (int id = 1; id <= 3; id++) {
                c.publish("t", QoS.EXACTLY_ONCE, id, "x");
                assertThat(c.expect(io.berth.codec.PubrecPacket.class).packetId())
                        .isEqualTo(id);
            }
            // no PUBREL for any of them: a fourth open exchange closes the connection
            c.publish("t", QoS.EXACTLY_ONCE, 4, "x");
            assertThat(c.awaitClosed(Duration.ofSeconds(5))).isTrue();
        }
    }
}
