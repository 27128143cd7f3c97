package io.berth.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.broker.config.LimitRule;
import io.berth.broker.config.Limits;
import io.berth.broker.config.OverflowPolicy;
import io.berth.broker.config.QueueLimits;
import io.berth.broker.session.Purge;
import io.berth.broker.session.SessionInfo;
import io.berth.codec.DisconnectPacket;
import io.berth.codec.MqttPacket;
import io.berth.codec.MqttProperties;
import io.berth.codec.MqttVersion;
import io.berth.codec.PubackPacket;
import io.berth.codec.PubcompPacket;
import io.berth.codec.PublishPacket;
import io.berth.codec.PubrecPacket;
import io.berth.codec.PubrelPacket;
import io.berth.codec.QoS;
import io.berth.codec.ReasonCode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Queue limits (messages, bytes, age, the broker-wide budget, per-client rules) and every overflow
 * policy, with 3.1.1 and 5.0 subscribers over raw sockets. Subscribers are offline persistent
 * sessions unless a test says otherwise; every message is 10 bytes of payload on a 5-byte topic.
 */
class QueueLimitsTest {
    private static final String TOPIC = "lim/t";
    private static final int SIZE = TOPIC.length() + 10;
    private static final ObjectMapper JSON = new ObjectMapper();

    private TestBroker broker;
    private final List<RawClient> clients = new ArrayList<>();

    @AfterEach
    void stop() {
        clients.forEach(RawClient::close);
        if (broker != null) {
            broker.close();
        }
    }

    private void start(Limits limits) {
        start(limits, 2);
    }

    private void start(Limits limits, int shards) {
        broker = new TestBroker(b -> b.limits(limits).shards(shards).receiveMaximum(4));
    }

    private static Limits limits(long maxMessages, long maxBytes, long maxAge, OverflowPolicy overflow) {
        return new Limits(
                new QueueLimits(maxMessages, maxBytes, maxAge, overflow, 80),
                List.of(),
                Limits.DEFAULT.queuedBytesBudget());
    }

    private static MqttProperties persistent(MqttVersion v) {
        return v.isV5() ? MqttProperties.builder().sessionExpiryInterval(3600L).build() : MqttProperties.EMPTY;
    }

    private static String payload(int i) {
        return String.format("m%09d", i);
    }

    private RawClient client(MqttVersion v, String id, boolean clean) throws Exception {
        RawClient c = RawClient.connected(broker.port(), v, id, clean, persistent(v));
        clients.add(c);
        return c;
    }

    /** Subscribes {@code id} to {@code lim/#} with QoS 1, then leaves; returns once the broker saw it go. */
    private void offlineSubscriber(MqttVersion v, String id) throws Exception {
        offlineSubscriber(v, id, null);
    }

    private void offlineSubscriber(MqttVersion v, String id, String username) throws Exception {
        RawClient c = RawClient.open(broker.port(), v);
        clients.add(c);
        assertThat(c.connectAs(id, false, persistent(v), null, username).reasonCode())
                .isEqualTo(ReasonCode.SUCCESS);
        c.subscribe(1, "lim/#", QoS.AT_LEAST_ONCE);
        c.send(DisconnectPacket.NORMAL);
        c.close();
        await().atMost(Duration.ofSeconds(5))
                .until(() -> info(id).map(s -> !s.online()).orElse(false));
    }

    private java.util.Optional<SessionInfo> info(String id) throws Exception {
        return broker.berth().admin().session(id).get(5, TimeUnit.SECONDS);
    }

    /** Publishes messages {@code from..to-1} at QoS 1, each after the previous PUBACK; returns the codes. */
    private List<ReasonCode> publish(RawClient pub, int from, int to) {
        List<ReasonCode> codes = new ArrayList<>();
        for (int i = from; i < to; i++) {
            pub.publish(TOPIC, QoS.AT_LEAST_ONCE, i % 60_000 + 1, payload(i));
            codes.add(pub.expect(PubackPacket.class).reasonCode());
        }
        return codes;
    }

    /** Resumes the session of {@code id} and acknowledges everything until the broker stays quiet. */
    private List<String> drain(MqttVersion v, String id) throws Exception {
        return drain(v, id, null);
    }

    /** As {@link #drain(MqttVersion, String)}, logged in as the user that owns the session. */
    private List<String> drain(MqttVersion v, String id, String username) throws Exception {
        RawClient c = RawClient.open(broker.port(), v);
        clients.add(c);
        assertThat(c.connectAs(id, false, persistent(v), null, username).reasonCode())
                .isEqualTo(ReasonCode.SUCCESS);
        List<String> got = new ArrayList<>();
        while (true) {
            MqttPacket p;
            try {
                p = c.receive(Duration.ofMillis(700));
            } catch (AssertionError quiet) {
                return got;
            }
            if (p instanceof PublishPacket pp) {
                got.add(new String(pp.payload(), StandardCharsets.UTF_8));
                if (pp.qos() == QoS.AT_LEAST_ONCE) {
                    c.send(PubackPacket.of(pp.packetId()));
                }
            }
        }
    }

    private static List<String> payloads(int from, int to) {
        return IntStream.range(from, to).mapToObj(QueueLimitsTest::payload).toList();
    }

    private double dropped(String reason) {
        return broker.berth().metrics().droppedCount(reason);
    }

    /** A 5.0 client subscribed to the watermark event topic; it acknowledges and collects the events. */
    private LinkedBlockingQueue<JsonNode> watermarkEvents() throws Exception {
        RawClient w = client(MqttVersion.V5, "watcher", true);
        w.subscribe(1, "$SYS/berth/events/queue-watermark", QoS.AT_LEAST_ONCE);
        LinkedBlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();
        Thread t = new Thread(
                () -> {
                    try {
                        while (true) {
                            MqttPacket p = w.receive(Duration.ofMinutes(5));
                            if (p instanceof PublishPacket pp) {
                                events.add(JSON.readTree(pp.payload()));
                                w.send(PubackPacket.of(pp.packetId()));
                            }
                        }
                    } catch (Throwable closed) {
                        // the test is over
                    }
                },
                "watermark-watcher");
        t.setDaemon(true);
        t.start();
        return events;
    }

    private static JsonNode next(LinkedBlockingQueue<JsonNode> events) throws InterruptedException {
        JsonNode e = events.poll(5, TimeUnit.SECONDS);
        assertThat(e).as("a watermark event within 5 s").isNotNull();
        return e;
    }

    @ParameterizedTest
    @EnumSource(
            value = MqttVersion.class,
            names = {"V3_1_1", "V5"})
    void dropOldest_fullQueue_keepsTheNewest_afterAWatermarkEventBeforeTheFirstDrop(MqttVersion v) throws Exception {
        start(limits(10, 1 << 20, 0, OverflowPolicy.DROP_OLDEST));
        LinkedBlockingQueue<JsonNode> events = watermarkEvents();
        offlineSubscriber(v, "sub");
        RawClient pub = client(MqttVersion.V5, "pub", true);

        publish(pub, 0, 8); // 80 % of 10
        JsonNode high = next(events);
        assertThat(high.get("state").asText()).isEqualTo("high");
        assertThat(high.get("clientId").asText()).isEqualTo("sub");
        assertThat(high.get("messages").asLong()).isEqualTo(8);
        assertThat(dropped("queue-full"))
                .as("nothing lost when the event arrives")
                .isZero();

        assertThat(publish(pub, 8, 15)).containsOnly(ReasonCode.SUCCESS);
        assertThat(dropped("queue-full")).isEqualTo(5);
        assertThat(events)
                .as("no second event while it stays above the watermark")
                .isEmpty();

        assertThat(drain(v, "sub")).isEqualTo(payloads(5, 15));
        JsonNode drained = next(events);
        assertThat(drained.get("state").asText()).isEqualTo("drained");
        assertThat(broker.berth().metrics().scrape())
                .contains("berth_queue_watermark_events_total{state=\"high\"} 1.0")
                .contains("berth_dropped_messages_total{reason=\"queue-full\"} 5.0");
    }

    @ParameterizedTest
    @EnumSource(
            value = MqttVersion.class,
            names = {"V3_1_1", "V5"})
    void dropNew_fullQueue_keepsTheOldest_afterAWatermarkEventBeforeTheFirstDrop(MqttVersion v) throws Exception {
        start(limits(10, 1 << 20, 0, OverflowPolicy.DROP_NEW));
        LinkedBlockingQueue<JsonNode> events = watermarkEvents();
        offlineSubscriber(v, "sub");
        RawClient pub = client(MqttVersion.V5, "pub", true);

        publish(pub, 0, 8);
        assertThat(next(events).get("state").asText()).isEqualTo("high");
        assertThat(dropped("queue-full")).isZero();

        assertThat(publish(pub, 8, 15))
                .as("drop-new does not tell the publisher")
                .containsOnly(ReasonCode.SUCCESS);
        assertThat(dropped("queue-full")).isEqualTo(5);
        assertThat(drain(v, "sub")).isEqualTo(payloads(0, 10));
    }

    @ParameterizedTest
    @EnumSource(
            value = MqttVersion.class,
            names = {"V3_1_1", "V5"})
    void reject_fullQueue_v5PublisherGetsQuotaExceeded_v311PublisherPlainPuback(MqttVersion v) throws Exception {
        start(limits(10, 1 << 20, 0, OverflowPolicy.REJECT));
        LinkedBlockingQueue<JsonNode> events = watermarkEvents();
        offlineSubscriber(v, "sub");
        RawClient pub5 = client(MqttVersion.V5, "pub5", true);
        RawClient pub3 = client(MqttVersion.V3_1_1, "pub3", true);

        assertThat(publish(pub5, 0, 8)).containsOnly(ReasonCode.SUCCESS);
        assertThat(next(events).get("state").asText()).isEqualTo("high");
        assertThat(dropped("queue-full")).isZero();

        assertThat(publish(pub5, 8, 12))
                .containsExactly(
                        ReasonCode.SUCCESS, ReasonCode.SUCCESS, ReasonCode.QUOTA_EXCEEDED, ReasonCode.QUOTA_EXCEEDED);
        // 3.1.1 has no way to say it: a plain PUBACK
        assertThat(publish(pub3, 12, 14)).containsOnly(ReasonCode.SUCCESS);
        assertThat(dropped("queue-full")).isEqualTo(4);
        assertThat(drain(v, "sub")).isEqualTo(payloads(0, 10));
    }

    /**
     * 5.0 section 4.3.3: after PUBREC 0x97 the exchange is over: the packet id is free again, and the
     * refused message does not keep a Receive Maximum slot taken (the broker's is 4 here).
     */
    @Test
    void reject_qos2_pubrecQuotaExceeded_freesThePacketIdAndTheReceiveSlot() throws Exception {
        start(limits(2, 1 << 20, 0, OverflowPolicy.REJECT));
        offlineSubscriber(MqttVersion.V5, "sub");
        RawClient pub = client(MqttVersion.V5, "pub", true);
        publish(pub, 0, 2);
        for (int i = 0; i < 6; i++) {
            pub.send(new PublishPacket(
                    TOPIC, QoS.EXACTLY_ONCE, false, false, 100, payload(50 + i).getBytes(), MqttProperties.EMPTY));
            PubrecPacket rec = pub.expect(PubrecPacket.class);
            assertThat(rec.packetId()).isEqualTo(100);
            assertThat(rec.reasonCode()).isEqualTo(ReasonCode.QUOTA_EXCEEDED);
        }
        assertThat(broker.berth().admin().purge("sub", Purge.all()).get(5, TimeUnit.SECONDS))
                .contains(2L);

        pub.send(new PublishPacket(
                TOPIC, QoS.EXACTLY_ONCE, false, false, 100, payload(99).getBytes(), MqttProperties.EMPTY));
        assertThat(pub.expect(PubrecPacket.class).reasonCode()).isEqualTo(ReasonCode.SUCCESS);
        pub.send(PubrelPacket.of(100));
        assertThat(pub.expect(PubcompPacket.class).reasonCode()).isEqualTo(ReasonCode.SUCCESS);
        assertThat(drain(MqttVersion.V5, "sub")).containsExactly(payload(99));
    }

    @ParameterizedTest
    @EnumSource(
            value = MqttVersion.class,
            names = {"V3_1_1", "V5"})
    void disconnect_fullQueue_closesTheSlowConsumer_sessionAndQueueStay(MqttVersion v) throws Exception {
        start(limits(5, 1 << 20, 0, OverflowPolicy.DISCONNECT));
        RawClient slow = client(v, "slow", false);
        slow.subscribe(1, "lim/#", QoS.AT_LEAST_ONCE);
        RawClient pub = client(MqttVersion.V5, "pub", true);

        publish(pub, 0, 5);
        for (int i = 0; i < 5; i++) {
            assertThat(slow.expect(PublishPacket.class).payload())
                    .isEqualTo(payload(i).getBytes()); // never acked
        }
        assertThat(publish(pub, 5, 6)).containsOnly(ReasonCode.SUCCESS);
        if (v.isV5()) {
            assertThat(slow.expect(DisconnectPacket.class).reasonCode()).isEqualTo(ReasonCode.QUOTA_EXCEEDED);
        }
        assertThat(slow.awaitClosed(Duration.ofSeconds(5))).isTrue();
        await().atMost(Duration.ofSeconds(5))
                .until(() -> info("slow").map(s -> !s.online()).orElse(false));
        assertThat(info("slow").orElseThrow().queuedMessages()).isEqualTo(5);
        assertThat(drain(v, "slow")).isEqualTo(payloads(0, 5));
    }

    /**
     * A queue limited by bytes, with messages large next to the limit, that stays full: each drop-oldest
     * eviction must not count as draining, so one "high" while it stays full and one "drained" after.
     */
    @Test
    void watermark_queueThatStaysFull_raisesHighOnce_andDrainedOnlyWhenReallyDrained() throws Exception {
        start(limits(1000, 2L * SIZE, 0, OverflowPolicy.DROP_OLDEST));
        offlineSubscriber(MqttVersion.V5, "sub");
        RawClient pub = client(MqttVersion.V5, "pub", true);
        assertThat(publish(pub, 0, 20)).containsOnly(ReasonCode.SUCCESS);
        assertThat(dropped("queue-full")).isEqualTo(18);
        assertThat(broker.berth().metrics().scrape())
                .contains("berth_queue_watermark_events_total{state=\"high\"} 1.0")
                .doesNotContain("state=\"drained\"");
        assertThat(drain(MqttVersion.V5, "sub")).isEqualTo(payloads(18, 20));
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(broker.berth().metrics().scrape())
                        .contains("berth_queue_watermark_events_total{state=\"drained\"} 1.0")
                        .contains("berth_queue_watermark_events_total{state=\"high\"} 1.0"));
    }

    @Test
    void watermark_drainedMark_isHalfTheWatermark() {
        QueueLimits l = new QueueLimits(10, 1000, 0, OverflowPolicy.DROP_OLDEST, 80);
        assertThat(l.messageWatermark()).isEqualTo(8);
        assertThat(l.messageDrainedMark()).isEqualTo(4);
        assertThat(l.byteDrainedMark()).isEqualTo(400);
        assertThat(new QueueLimits(1, 1, 0, OverflowPolicy.DROP_OLDEST, 1).messageDrainedMark())
                .isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(
            value = MqttVersion.class,
            names = {"V3_1_1", "V5"})
    void maxBytes_limitsTheQueueByBytes(MqttVersion v) throws Exception {
        start(limits(1000, 4L * SIZE, 0, OverflowPolicy.DROP_NEW));
        offlineSubscriber(v, "sub");
        publish(client(MqttVersion.V5, "pub", true), 0, 7);
        assertThat(info("sub").orElseThrow().queuedBytes()).isEqualTo(4L * SIZE);
        assertThat(dropped("queue-full")).isEqualTo(3);
        assertThat(drain(v, "sub")).isEqualTo(payloads(0, 4));
    }

    /** 3.1.1 publishers cannot set a message expiry; the operator's max age covers them too. */
    @ParameterizedTest
    @EnumSource(
            value = MqttVersion.class,
            names = {"V3_1_1", "V5"})
    void maxAge_messagesOlderThanTheLimitAreNotDelivered(MqttVersion v) throws Exception {
        start(limits(1000, 1 << 20, 1, OverflowPolicy.DROP_OLDEST));
        offlineSubscriber(v, "sub");
        RawClient pub = client(MqttVersion.V3_1_1, "pub", true);
        publish(pub, 0, 3);
        long published = System.currentTimeMillis();
        await().pollInterval(Duration.ofMillis(50)).until(() -> System.currentTimeMillis() - published > 1_300);
        publish(pub, 3, 5);
        assertThat(drain(v, "sub")).isEqualTo(payloads(3, 5));
        assertThat(dropped("max-age")).isEqualTo(3);
    }

    /** One shard, so that the budget is checked in a fixed order. */
    @ParameterizedTest
    @EnumSource(
            value = MqttVersion.class,
            names = {"V3_1_1", "V5"})
    void budget_brokerWide_limitsAllQueuesTogether(MqttVersion v) throws Exception {
        start(new Limits(new QueueLimits(1000, 1 << 20, 0, OverflowPolicy.DROP_NEW, 80), List.of(), 5L * SIZE), 1);
        offlineSubscriber(v, "a");
        offlineSubscriber(v, "b");
        publish(client(MqttVersion.V5, "pub", true), 0, 4); // 8 copies, room for 5
        assertThat(broker.berth().metrics().queuedBytes()).isEqualTo(5L * SIZE);
        assertThat(dropped("budget")).isEqualTo(3);
        assertThat(dropped("queue-full")).isZero();
        List<String> a = drain(v, "a");
        List<String> b = drain(v, "b");
        assertThat(a.size() + b.size()).isEqualTo(5);
        assertThat(a).isEqualTo(payloads(0, a.size()));
        assertThat(b).isEqualTo(payloads(0, b.size()));
    }

    @ParameterizedTest
    @EnumSource(
            value = MqttVersion.class,
            names = {"V3_1_1", "V5"})
    void rule_byClientIdGlob_appliesOnlyToMatchingClients(MqttVersion v) throws Exception {
        QueueLimits small = new QueueLimits(3, 1 << 20, 0, OverflowPolicy.DROP_NEW, 80);
        start(new Limits(
                QueueLimits.DEFAULT,
                List.of(new LimitRule("slow-?", null, small)),
                Limits.DEFAULT.queuedBytesBudget()));
        offlineSubscriber(v, "slow-1");
        offlineSubscriber(v, "slow-10");
        publish(client(MqttVersion.V5, "pub", true), 0, 6);
        assertThat(info("slow-1").orElseThrow().limits()).isEqualTo(small);
        assertThat(drain(v, "slow-1")).isEqualTo(payloads(0, 3));
        assertThat(drain(v, "slow-10")).as("'?' is one character").isEqualTo(payloads(0, 6));
    }

    @ParameterizedTest
    @EnumSource(
            value = MqttVersion.class,
            names = {"V3_1_1", "V5"})
    void rule_byUsername_appliesToTheSessionsThatUserCreated(MqttVersion v) throws Exception {
        QueueLimits small = new QueueLimits(1000, 1 << 20, 0, OverflowPolicy.DROP_OLDEST, 80);
        QueueLimits tiny = new QueueLimits(2, 1 << 20, 0, OverflowPolicy.DROP_OLDEST, 80);
        start(new Limits(small, List.of(new LimitRule(null, "metered", tiny)), Limits.DEFAULT.queuedBytesBudget()));
        offlineSubscriber(v, "m", "metered");
        offlineSubscriber(v, "u", "unmetered");
        publish(client(MqttVersion.V5, "pub", true), 0, 5);
        // a session belongs to the user that created it: each is resumed by its owner
        assertThat(drain(v, "m", "metered")).isEqualTo(payloads(3, 5));
        assertThat(drain(v, "u", "unmetered")).isEqualTo(payloads(0, 5));
    }
}
