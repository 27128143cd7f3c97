package io.berth.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.codec.DisconnectPacket;
import io.berth.codec.MqttProperties;
import io.berth.codec.MqttVersion;
import io.berth.codec.PubackPacket;
import io.berth.codec.PublishPacket;
import io.berth.codec.QoS;
import io.berth.codec.ReasonCode;
import io.berth.codec.RetainHandling;
import io.berth.codec.SubackPacket;
import io.berth.codec.SubscribePacket;
import io.berth.codec.TopicSubscription;
import io.berth.codec.UnsubackPacket;
import io.berth.codec.UnsubscribePacket;
import io.berth.codec.Will;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Routing and delivery rules of 5.0 and 3.1.1, over raw sockets. */
class DeliveryRulesTest {
    private final TestBroker broker = new TestBroker();

    @AfterEach
    void stop() {
        broker.close();
    }

    private RawClient v5(String id) throws Exception {
        return RawClient.connected(broker.port(), MqttVersion.V5, id, true, MqttProperties.EMPTY);
    }

    private static SubackPacket subscribe(RawClient c, int id, TopicSubscription t, MqttProperties props) {
        c.send(new SubscribePacket(id, List.of(t), props));
        return c.expect(SubackPacket.class);
    }

    private static void publish(
            RawClient c, String topic, QoS qos, boolean retain, String payload, MqttProperties props) {
        int id = qos == QoS.AT_MOST_ONCE ? 0 : 1;
        c.send(new PublishPacket(topic, qos, retain, false, id, payload.getBytes(), props));
        if (qos == QoS.AT_LEAST_ONCE) {
            c.expect(PubackPacket.class);
        }
    }

    @Test
    void deliveredQos_isTheMinimumOfPublishedAndSubscribed() throws Exception {
        try (RawClient sub = v5("s");
                RawClient pub = v5("p")) {
            sub.subscribe(1, "m/q", QoS.AT_LEAST_ONCE);
            publish(pub, "m/q", QoS.AT_MOST_ONCE, false, "a", MqttProperties.EMPTY);
            // [MQTT-3.8.4-8] delivered QoS = min(published, granted)
            assertThat(sub.expect(PublishPacket.class).qos()).isEqualTo(QoS.AT_MOST_ONCE);
            publish(pub, "m/q", QoS.AT_LEAST_ONCE, false, "b", MqttProperties.EMPTY);
            assertThat(sub.expect(PublishPacket.class).qos()).isEqualTo(QoS.AT_LEAST_ONCE);
        }
    }

    @Test
    void retained_sentOnSubscribeWithRetainSet_andClearedByEmptyPayload() throws Exception {
        try (RawClient pub = v5("p")) {
            publish(pub, "r/1", QoS.AT_LEAST_ONCE, true, "first", MqttProperties.EMPTY);
            publish(pub, "r/1", QoS.AT_LEAST_ONCE, true, "second", MqttProperties.EMPTY);
            publish(pub, "r/2", QoS.AT_LEAST_ONCE, true, "other", MqttProperties.EMPTY);
            try (RawClient sub = v5("s")) {
                sub.subscribe(1, "r/1", QoS.AT_LEAST_ONCE);
                PublishPacket p = sub.expect(PublishPacket.class);
                // [MQTT-3.3.1-6] the newest retained message; [MQTT-3.3.1-8] RETAIN set on subscribe
                assertThat(new String(p.payload())).isEqualTo("second");
                assertThat(p.retain()).isTrue();
                sub.send(PubackPacket.of(p.packetId()));
                // a live message is delivered with RETAIN cleared [MQTT-3.3.1-9]
                publish(pub, "r/1", QoS.AT_LEAST_ONCE, true, "live", MqttProperties.EMPTY);
                PublishPacket live = sub.expect(PublishPacket.class);
                assertThat(live.retain()).isFalse();
                sub.send(PubackPacket.of(live.packetId()));
            }
            // [MQTT-3.3.1-10] an empty retained payload clears the topic
            publish(pub, "r/1", QoS.AT_LEAST_ONCE, true, "", MqttProperties.EMPTY);
            try (RawClient sub = v5("s2")) {
                sub.subscribe(1, "r/+", QoS.AT_LEAST_ONCE);
                assertThat(new String(sub.expect(PublishPacket.class).payload()))
                        .isEqualTo("other");
                sub.expectNothing(Duration.ofMillis(300));
            }
        }
    }

    @Test
    void retainHandling_andRetainAsPublished() throws Exception {
        try (RawClient pub = v5("p");
                RawClient sub = v5("s")) {
            publish(pub, "rh", QoS.AT_LEAST_ONCE, true, "kept", MqttProperties.EMPTY);
            // [MQTT-3.3.1-11] Retain Handling 2: nothing on subscribe
            subscribe(
                    sub,
                    1,
                    new TopicSubscription("rh", QoS.AT_LEAST_ONCE, false, true, RetainHandling.DO_NOT_SEND),
                    MqttProperties.EMPTY);
            sub.expectNothing(Duration.ofMillis(300));
            // Retain Handling 1: only for a new subscription; this one exists
            subscribe(
                    sub,
                    2,
                    new TopicSubscription(
                            "rh", QoS.AT_LEAST_ONCE, false, true, RetainHandling.SEND_IF_NEW_SUBSCRIPTION),
                    MqttProperties.EMPTY);
            sub.expectNothing(Duration.ofMillis(300));
            // [MQTT-3.3.1-12] Retain As Published keeps RETAIN on live messages
            publish(pub, "rh", QoS.AT_LEAST_ONCE, true, "live", MqttProperties.EMPTY);
            assertThat(sub.expect(PublishPacket.class).retain()).isTrue();
        }
    }

    @Test
    void noLocal_skipsTheClientsOwnMessages() throws Exception {
        try (RawClient c = v5("self")) {
            subscribe(
                    c,
                    1,
                    new TopicSubscription("nl", QoS.AT_LEAST_ONCE, true, false, RetainHandling.SEND_ON_SUBSCRIBE),
                    MqttProperties.EMPTY);
            // [MQTT-3.8.3-3]
            publish(c, "nl", QoS.AT_LEAST_ONCE, false, "mine", MqttProperties.EMPTY);
            c.expectNothing(Duration.ofMillis(300));
        }
    }

    @Test
    void overlappingSubscriptions_oneDeliveryWithEveryIdentifier() throws Exception {
        try (RawClient sub = v5("s");
                RawClient pub = v5("p")) {
            subscribe(
                    sub,
                    1,
                    TopicSubscription.of("o/+", QoS.AT_MOST_ONCE),
                    MqttProperties.builder()
                            .subscriptionIdentifiers(List.of(11))
                            .build());
            subscribe(
                    sub,
                    2,
                    TopicSubscription.of("o/#", QoS.AT_LEAST_ONCE),
                    MqttProperties.builder()
                            .subscriptionIdentifiers(List.of(22))
                            .build());
            publish(pub, "o/x", QoS.AT_LEAST_ONCE, false, "both", MqttProperties.EMPTY);
            PublishPacket p = sub.expect(PublishPacket.class);
            // [MQTT-3.3.4-2] [MQTT-3.3.4-3] highest QoS, every matching subscription identifier
            assertThat(p.qos()).isEqualTo(QoS.AT_LEAST_ONCE);
            assertThat(p.properties().subscriptionIdentifiers()).containsExactlyInAnyOrder(11, 22);
            sub.send(PubackPacket.of(p.packetId()));
            sub.expectNothing(Duration.ofMillis(300));
        }
    }

    @Test
    void overlappingSubscriptionsOfManyClients_oneDeliveryEach() throws Exception {
        // more clients than the matcher finds by a linear search, so that it also merges through its map
        List<RawClient> subs = new ArrayList<>();
        try (RawClient pub = v5("p")) {
            for (int i = 0; i < 12; i++) {
                RawClient sub = v5("many" + i);
                subs.add(sub);
                sub.subscribe(1, "w/+", QoS.AT_MOST_ONCE);
                sub.subscribe(2, "w/#", QoS.AT_LEAST_ONCE);
            }
            publish(pub, "w/x", QoS.AT_LEAST_ONCE, false, "once", MqttProperties.EMPTY);
            for (RawClient sub : subs) {
                PublishPacket p = sub.expect(PublishPacket.class);
                // [MQTT-3.3.5-1] one delivery per client, with the maximum QoS of its matching subscriptions
                assertThat(p.qos()).isEqualTo(QoS.AT_LEAST_ONCE);
                sub.send(PubackPacket.of(p.packetId()));
            }
            for (RawClient sub : subs) {
                sub.expectNothing(Duration.ofMillis(50));
            }
        } finally {
            for (RawClient sub : subs) {
                sub.close();
            }
        }
    }

    @Test
    void dollarTopics_areNotMatchedByLeadingWildcards() throws Exception {
        try (RawClient sub = v5("s");
                RawClient pub = v5("p")) {
            sub.subscribe(1, "#", QoS.AT_MOST_ONCE);
            sub.subscribe(2, "+/x", QoS.AT_MOST_ONCE);
            // [MQTT-4.7.2-1]
            publish(pub, "$app/x", QoS.AT_MOST_ONCE, false, "hidden", MqttProperties.EMPTY);
            sub.expectNothing(Duration.ofMillis(300));
            sub.subscribe(3, "$app/+", QoS.AT_MOST_ONCE);
            publish(pub, "$app/x", QoS.AT_MOST_ONCE, false, "seen", MqttProperties.EMPTY);
            assertThat(new String(sub.expect(PublishPacket.class).payload())).isEqualTo("seen");
        }
    }

    @Test
    void unsubscribe_stopsDelivery_andReportsUnknownFilters() throws Exception {
        try (RawClient sub = v5("s");
                RawClient pub = v5("p")) {
            sub.subscribe(1, "u", QoS.AT_MOST_ONCE);
            sub.send(new UnsubscribePacket(2, List.of("u", "never"), MqttProperties.EMPTY));
            assertThat(sub.expect(UnsubackPacket.class).reasonCodes())
                    .containsExactly(ReasonCode.SUCCESS, ReasonCode.NO_SUBSCRIPTION_EXISTED);
            publish(pub, "u", QoS.AT_MOST_ONCE, false, "gone", MqttProperties.EMPTY);
            sub.expectNothing(Duration.ofMillis(300));
        }
    }

    @Test
    void sharedSubscription_eachMessageToOneMember() throws Exception {
        try (RawClient a = v5("a");
                RawClient b = v5("b");
                RawClient pub = v5("p")) {
            a.subscribe(1, "$share/g/work", QoS.AT_LEAST_ONCE);
            b.subscribe(1, "$share/g/work", QoS.AT_LEAST_ONCE);
            for (int i = 0; i < 10; i++) {
                publish(pub, "work", QoS.AT_LEAST_ONCE, false, "job" + i, MqttProperties.EMPTY);
            }
            Set<String> seen = new HashSet<>();
            int total = 0;
            for (RawClient c : List.of(a, b)) {
                while (true) {
                    try {
                        PublishPacket p = (PublishPacket) c.receive(Duration.ofMillis(400));
                        c.send(PubackPacket.of(p.packetId()));
                        seen.add(new String(p.payload()));
                        total++;
                    } catch (AssertionError none) {
                        break;
                    }
                }
            }
            assertThat(total).isEqualTo(10);
            assertThat(seen).hasSize(10);
        }
    }

    @Test
    void sharedSubscription_offlinePersistentMemberKeepsMessages() throws Exception {
        MqttProperties persistent =
                MqttProperties.builder().sessionExpiryInterval(600L).build();
        try (RawClient m = RawClient.connected(broker.port(), MqttVersion.V5, "member", false, persistent)) {
            m.subscribe(1, "$share/g/jobs", QoS.AT_LEAST_ONCE);
            m.send(DisconnectPacket.NORMAL);
        }
        try (RawClient pub = v5("p")) {
            publish(pub, "jobs", QoS.AT_LEAST_ONCE, false, "queued", MqttProperties.EMPTY);
        }
        try (RawClient m = RawClient.open(broker.port(), MqttVersion.V5)) {
            m.connect("member", false, persistent, null);
            assertThat(new String(m.expect(PublishPacket.class).payload())).isEqualTo("queued");
        }
    }

    @Test
    void sharedSubscription_whileEveryMemberIsOffline_theGroupKeepsMessagesForWhicheverReturns() throws Exception {
        MqttProperties persistent =
                MqttProperties.builder().sessionExpiryInterval(600L).build();
        for (String member : List.of("worker-a", "worker-b")) {
            try (RawClient m = RawClient.connected(broker.port(), MqttVersion.V5, member, false, persistent)) {
                m.subscribe(1, "$share/pool/tasks", QoS.AT_LEAST_ONCE);
                m.send(DisconnectPacket.NORMAL);
            }
        }
        try (RawClient pub = v5("p")) {
            for (int i = 0; i < 10; i++) {
                publish(pub, "tasks", QoS.AT_LEAST_ONCE, false, "t" + i, MqttProperties.EMPTY);
            }
        }
        broker.restart(); // the group's queue is part of the stored state
        try (RawClient a = RawClient.open(broker.port(), MqttVersion.V5)) {
            assertThat(a.connect("worker-a", false, persistent, null).sessionPresent())
                    .isTrue();
            // only one member came back: it gets all ten, in order
            for (int i = 0; i < 10; i++) {
                PublishPacket p = a.expect(PublishPacket.class);
                assertThat(new String(p.payload())).isEqualTo("t" + i);
                a.send(PubackPacket.of(p.packetId()));
            }
            a.expectNothing(Duration.ofMillis(300));
        }
        try (RawClient b = RawClient.open(broker.port(), MqttVersion.V5)) {
            b.connect("worker-b", false, persistent, null);
            b.expectNothing(Duration.ofMillis(300));
        }
    }

    @Test
    void will_sentWhenTheConnectionDrops_notAfterNormalDisconnect() throws Exception {
        try (RawClient watcher = v5("w")) {
            watcher.subscribe(1, "wills/#", QoS.AT_LEAST_ONCE);
            RawClient dying = RawClient.open(broker.port(), MqttVersion.V5);
            dying.connect(
                    "dying",
                    true,
                    MqttProperties.EMPTY,
                    new Will("wills/dying", "gone".getBytes(), QoS.AT_LEAST_ONCE, false, MqttProperties.EMPTY));
            dying.close();
            // [MQTT-3.1.2-8] the will is published when the connection closes without DISCONNECT
            PublishPacket w = watcher.expect(PublishPacket.class);
            assertThat(w.topic()).isEqualTo("wills/dying");
            watcher.send(PubackPacket.of(w.packetId()));
            try (RawClient polite = RawClient.open(broker.port(), MqttVersion.V5)) {
                polite.connect(
                        "polite",
                        true,
                        MqttProperties.EMPTY,
                        new Will("wills/polite", "x".getBytes(), QoS.AT_LEAST_ONCE, false, MqttProperties.EMPTY));
                // [MQTT-3.1.2-10] a normal DISCONNECT discards the will
                polite.send(DisconnectPacket.NORMAL);
            }
            watcher.expectNothing(Duration.ofMillis(400));
        }
    }

    @Test
    void willDelay_isCancelledByAReconnectInTime() throws Exception {
        MqttProperties session =
                MqttProperties.builder().sessionExpiryInterval(600L).build();
        Will will = new Will(
                "wills/late",
                "x".getBytes(),
                QoS.AT_LEAST_ONCE,
                false,
                MqttProperties.builder().willDelayInterval(2L).build());
        try (RawClient watcher = v5("w")) {
            watcher.subscribe(1, "wills/#", QoS.AT_LEAST_ONCE);
            RawClient c = RawClient.open(broker.port(), MqttVersion.V5);
            c.connect("late", false, session, will);
            c.close();
            try (RawClient back = RawClient.open(broker.port(), MqttVersion.V5)) {
                back.connect("late", false, session, null);
                // 5.0 section 3.1.3.2.2: reconnecting within the will delay means no will
                watcher.expectNothing(Duration.ofMillis(2500));
            }
            RawClient again = RawClient.open(broker.port(), MqttVersion.V5);
            again.connect("late2", false, session, will);
            again.close();
            // and without a reconnect it comes after the delay
            assertThat(watcher.expect(PublishPacket.class).topic()).isEqualTo("wills/late");
        }
    }

    @Test
    void topicAlias_inbound() throws Exception {
        try (RawClient sub = v5("s");
                RawClient pub = v5("p")) {
            sub.subscribe(1, "alias/t", QoS.AT_MOST_ONCE);
            MqttProperties alias = MqttProperties.builder().topicAlias(3).build();
            pub.send(new PublishPacket("alias/t", QoS.AT_MOST_ONCE, false, false, 0, "1".getBytes(), alias));
            pub.send(new PublishPacket("", QoS.AT_MOST_ONCE, false, false, 0, "2".getBytes(), alias));
            PublishPacket a = sub.expect(PublishPacket.class);
            PublishPacket b = sub.expect(PublishPacket.class);
            assertThat(b.topic()).isEqualTo("alias/t");
            // the alias is not forwarded
            assertThat(a.properties().topicAlias()).isNull();
            assertThat(b.properties().topicAlias()).isNull();
            // [MQTT-3.3.2-9] an alias above the maximum is an error
            pub.send(new PublishPacket(
                    "x",
                    QoS.AT_MOST_ONCE,
                    false,
                    false,
                    0,
                    "3".getBytes(),
                    MqttProperties.builder().topicAlias(65_000).build()));
            assertThat(pub.expect(DisconnectPacket.class).reasonCode()).isEqualTo(ReasonCode.TOPIC_ALIAS_INVALID);
        }
    }

    @Test
    void messageExpiry_queuedMessageExpires_andIntervalIsReduced() throws Exception {
        MqttProperties session =
                MqttProperties.builder().sessionExpiryInterval(600L).build();
        try (RawClient sub = RawClient.connected(broker.port(), MqttVersion.V5, "exp", false, session)) {
            sub.subscribe(1, "exp", QoS.AT_LEAST_ONCE);
            sub.send(DisconnectPacket.NORMAL);
        }
        try (RawClient pub = v5("p")) {
            publish(
                    pub,
                    "exp",
                    QoS.AT_LEAST_ONCE,
                    false,
                    "short",
                    MqttProperties.builder().messageExpiryInterval(1L).build());
            publish(
                    pub,
                    "exp",
                    QoS.AT_LEAST_ONCE,
                    false,
                    "long",
                    MqttProperties.builder().messageExpiryInterval(100L).build());
        }
        org.awaitility.Awaitility.await().pollDelay(Duration.ofMillis(1500)).until(() -> true);
        try (RawClient sub = RawClient.open(broker.port(), MqttVersion.V5)) {
            sub.connect("exp", false, session, null);
            PublishPacket p = sub.expect(PublishPacket.class);
            // 5.0 section 3.3.2.3.3: the expired one is gone, the other's interval is reduced
            assertThat(new String(p.payload())).isEqualTo("long");
            assertThat(p.properties().messageExpiryInterval()).isBetween(95L, 99L);
        }
    }

    @Test
    void messageLargerThanTheClientsMaximumPacketSize_isDiscarded() throws Exception {
        MqttProperties small = MqttProperties.builder().maximumPacketSize(100L).build();
        try (RawClient sub = RawClient.connected(broker.port(), MqttVersion.V5, "small", true, small);
                RawClient pub = v5("p")) {
            sub.subscribe(1, "big", QoS.AT_LEAST_ONCE);
            publish(pub, "big", QoS.AT_LEAST_ONCE, false, "x".repeat(500), MqttProperties.EMPTY);
            publish(pub, "big", QoS.AT_LEAST_ONCE, false, "fits", MqttProperties.EMPTY);
            // [MQTT-3.1.2-25]
            assertThat(new String(sub.expect(PublishPacket.class).payload())).isEqualTo("fits");
        }
    }

    @Test
    void payloadThatIsNotTheUtf8ItClaims_isRefusedWith0x99() throws Exception {
        try (RawClient sub = v5("s");
                RawClient pub = v5("p")) {
            sub.subscribe(1, "pf", QoS.AT_LEAST_ONCE);
            MqttProperties utf8 =
                    MqttProperties.builder().payloadFormatIndicator(1).build();
            pub.send(new PublishPacket("pf", QoS.AT_LEAST_ONCE, false, false, 5, new byte[] {(byte) 0xC3, 0x28}, utf8));
            // [MQTT-3.3.2-4] 5.0 section 3.3.2.3.2: PUBACK 0x99 Payload format invalid, not delivered
            assertThat(pub.expect(PubackPacket.class).reasonCode()).isEqualTo(ReasonCode.PAYLOAD_FORMAT_INVALID);
            sub.expectNothing(Duration.ofMillis(300));
            pub.send(new PublishPacket("pf", QoS.AT_LEAST_ONCE, false, false, 6, "fine".getBytes(), utf8));
            assertThat(pub.expect(PubackPacket.class).reasonCode()).isEqualTo(ReasonCode.SUCCESS);
            assertThat(new String(sub.expect(PublishPacket.class).payload())).isEqualTo("fine");
        }
    }

    @Test
    void keepAlive_connectionClosedAfterOneAndAHalfIntervals() throws Exception {
        try (RawClient c = RawClient.open(broker.port(), MqttVersion.V3_1_1)) {
            c.send(new io.berth.codec.ConnectPacket(
                    MqttVersion.V3_1_1, "idle", true, 1, null, null, null, MqttProperties.EMPTY));
            c.expect(io.berth.codec.ConnackPacket.class);
            // [MQTT-3.1.2-24]
            assertThat(c.awaitClosed(Duration.ofSeconds(4))).isTrue();
        }
    }
}
