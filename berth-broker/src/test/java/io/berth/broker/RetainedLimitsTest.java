package io.berth.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.broker.config.Limits;
import io.berth.broker.config.RetainedLimits;
import io.berth.codec.MqttProperties;
import io.berth.codec.MqttVersion;
import io.berth.codec.PubackPacket;
import io.berth.codec.PublishPacket;
import io.berth.codec.PubrecPacket;
import io.berth.codec.QoS;
import io.berth.codec.ReasonCode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Retained messages are bounded in all and per client: past a limit a message is delivered but not
 * retained; a 5.0 publisher gets 0x97 Quota exceeded, a 3.1.1 publisher the usual acknowledgement.
 */
class RetainedLimitsTest {
    private TestBroker broker;

    @AfterEach
    void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    private void start(RetainedLimits retained) {
        Limits l = Limits.DEFAULT;
        broker = new TestBroker(b -> b.limits(new Limits(l.defaults(), l.rules(), l.queuedBytesBudget(), retained)));
    }

    private static PublishPacket retained(String topic, int id, QoS qos, String payload) {
        return new PublishPacket(
                topic, qos, true, false, id, payload.getBytes(StandardCharsets.UTF_8), MqttProperties.EMPTY);
    }

    private List<String> retainedTopics() throws Exception {
        try (RawClient late = RawClient.connected(broker.port(), MqttVersion.V5, "late", true, MqttProperties.EMPTY)) {
            late.subscribe(1, "#", QoS.AT_MOST_ONCE);
            List<String> got = new ArrayList<>();
            while (true) {
                try {
                    got.add(((PublishPacket) late.receive(Duration.ofMillis(500))).topic());
                } catch (AssertionError quiet) {
                    return got.stream().sorted().toList();
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(
            value = MqttVersion.class,
            names = {"V3_1_1", "V5"})
    void pastThePerClientLimit_deliveredButNotRetained(MqttVersion v) throws Exception {
        start(new RetainedLimits(100, 1 << 20, 2, 1 << 20));
        try (RawClient live = RawClient.connected(broker.port(), MqttVersion.V5, "live", true, MqttProperties.EMPTY);
                RawClient pub = RawClient.connected(broker.port(), v, "pub", true, MqttProperties.EMPTY)) {
            live.subscribe(1, "r/#", QoS.AT_MOST_ONCE);
            ReasonCode refused = v.isV5() ? ReasonCode.QUOTA_EXCEEDED : ReasonCode.SUCCESS;
            pub.send(retained("r/1", 1, QoS.AT_LEAST_ONCE, "a"));
            assertThat(pub.expect(PubackPacket.class).reasonCode()).isEqualTo(ReasonCode.SUCCESS);
            pub.send(retained("r/2", 2, QoS.AT_LEAST_ONCE, "b"));
            assertThat(pub.expect(PubackPacket.class).reasonCode()).isEqualTo(ReasonCode.SUCCESS);
            pub.send(retained("r/3", 3, QoS.AT_LEAST_ONCE, "c"));
            assertThat(pub.expect(PubackPacket.class).reasonCode()).isEqualTo(refused);
            pub.send(retained("r/4", 4, QoS.EXACTLY_ONCE, "d"));
            assertThat(pub.expect(PubrecPacket.class).reasonCode()).isEqualTo(refused);
            // delivered live all the same (as when one subscriber's queue refuses: see docs/adr/0005)
            List<String> delivered = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                delivered.add(live.expect(PublishPacket.class).topic());
            }
            assertThat(delivered).containsExactly("r/1", "r/2", "r/3", "r/4");
            assertThat(retainedTopics()).containsExactly("r/1", "r/2");
            // replacing one of its own stays possible; clearing one makes room
            pub.send(retained("r/1", 5, QoS.AT_LEAST_ONCE, "a2"));
            assertThat(pub.expect(PubackPacket.class).reasonCode()).isEqualTo(ReasonCode.SUCCESS);
            pub.send(retained("r/2", 6, QoS.AT_LEAST_ONCE, ""));
            assertThat(pub.expect(PubackPacket.class).reasonCode()).isEqualTo(ReasonCode.SUCCESS);
            pub.send(retained("r/3", 7, QoS.AT_LEAST_ONCE, "c2"));
            assertThat(pub.expect(PubackPacket.class).reasonCode()).isEqualTo(ReasonCode.SUCCESS);
            assertThat(retainedTopics()).containsExactly("r/1", "r/3");
        }
        assertThat(broker.berth().metrics().scrape())
                .contains("berth_limit_hits_total{limit=\"max-retained-messages-per-client\"} 2.0");
    }

    @Test
    void pastTheBrokerWideBytes_otherClientsAreRefusedToo() throws Exception {
        start(new RetainedLimits(100, 40, 100, 1 << 20));
        try (RawClient a = RawClient.connected(broker.port(), MqttVersion.V5, "a", true, MqttProperties.EMPTY);
                RawClient b = RawClient.connected(broker.port(), MqttVersion.V5, "b", true, MqttProperties.EMPTY)) {
            a.send(retained("big/a", 1, QoS.AT_LEAST_ONCE, "x".repeat(30)));
            assertThat(a.expect(PubackPacket.class).reasonCode()).isEqualTo(ReasonCode.SUCCESS);
            b.send(retained("big/b", 1, QoS.AT_LEAST_ONCE, "y".repeat(30)));
            assertThat(b.expect(PubackPacket.class).reasonCode()).isEqualTo(ReasonCode.QUOTA_EXCEEDED);
            assertThat(retainedTopics()).containsExactly("big/a");
        }
    }
}
