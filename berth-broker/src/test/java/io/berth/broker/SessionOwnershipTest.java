package io.berth.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.broker.config.SecurityConfig;
import io.berth.codec.ConnackPacket;
import io.berth.codec.DisconnectPacket;
import io.berth.codec.MqttProperties;
import io.berth.codec.MqttVersion;
import io.berth.codec.PubackPacket;
import io.berth.codec.PublishPacket;
import io.berth.codec.QoS;
import io.berth.codec.ReasonCode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A persistent session belongs to the principal that created it: another user can neither resume it,
 * take it over nor clean it, and everything queued for it still reaches its owner (Mosquitto #3551).
 */
class SessionOwnershipTest {
    private static final int QUEUED = 20;

    @TempDir
    Path dir;

    private TestBroker broker;

    @BeforeEach
    void start() throws Exception {
        Path passwd = AuthenticationTest.passwords(dir, "alice", "alice-pw", "mallory", "mallory-pw", "pub", "pub-pw");
        broker = new TestBroker(b -> b.security(SecurityConfig.DEFAULT.withPasswordFile(passwd)));
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    private static MqttProperties persistent(MqttVersion v) {
        return v.isV5() ? MqttProperties.builder().sessionExpiryInterval(3600L).build() : MqttProperties.EMPTY;
    }

    private void publishQos1(int count) throws Exception {
        try (RawClient pub = RawClient.loggedIn(
                broker.port(), MqttVersion.V5, "publisher", true, MqttProperties.EMPTY, "pub", "pub-pw")) {
            for (int i = 0; i < count; i++) {
                pub.publish("inbox/alice", QoS.AT_LEAST_ONCE, i + 1, "m" + i);
                assertThat(pub.expect(PubackPacket.class).reasonCode()).isEqualTo(ReasonCode.SUCCESS);
            }
        }
    }

    private ConnackPacket intrude(MqttVersion v, boolean cleanStart) throws Exception {
        try (RawClient m = RawClient.open(broker.port(), v)) {
            ConnackPacket ack = m.connect("alice-phone", cleanStart, persistent(v), null, "mallory", "mallory-pw");
            assertThat(m.awaitClosed(Duration.ofSeconds(5))).isTrue();
            return ack;
        }
    }

    @ParameterizedTest
    @EnumSource(
            value = MqttVersion.class,
            names = {"V3_1_1", "V5"})
    void anotherUser_cannotResumeTakeOverOrClean_andTheOwnerGetsEverything(MqttVersion v) throws Exception {
        try (RawClient alice =
                RawClient.loggedIn(broker.port(), v, "alice-phone", false, persistent(v), "alice", "alice-pw")) {
            alice.subscribe(1, "inbox/alice", QoS.AT_LEAST_ONCE);
            alice.send(DisconnectPacket.NORMAL);
        }
        publishQos1(QUEUED / 2);

        // resume (Clean Start 0) and clean (Clean Start 1) of the offline session: refused, 0x87 / 0x05
        assertThat(intrude(v, false).reasonCode()).isEqualTo(ReasonCode.NOT_AUTHORIZED);
        assertThat(intrude(v, true).reasonCode()).isEqualTo(ReasonCode.NOT_AUTHORIZED);
        publishQos1(QUEUED / 2);

        List<String> received = new ArrayList<>();
        try (RawClient alice = RawClient.open(broker.port(), v)) {
            ConnackPacket ack = alice.connect("alice-phone", false, persistent(v), null, "alice", "alice-pw");
            assertThat(ack.sessionPresent()).isTrue();
            // take over while the owner is connected: refused, and the owner's connection is not disturbed
            assertThat(intrude(v, false).reasonCode()).isEqualTo(ReasonCode.NOT_AUTHORIZED);
            for (int i = 0; i < QUEUED; i++) {
                PublishPacket p = alice.expect(PublishPacket.class);
                received.add(new String(p.payload(), StandardCharsets.UTF_8));
                alice.send(PubackPacket.of(p.packetId()));
            }
            alice.expectNothing(Duration.ofMillis(200));
            publishQos1(1);
            assertThat(alice.expect(PublishPacket.class).topic()).isEqualTo("inbox/alice");
        }
        List<String> expected = new ArrayList<>();
        for (int round = 0; round < 2; round++) { // publishQos1(QUEUED / 2) ran twice above, from m0 each time
            for (int i = 0; i < QUEUED / 2; i++) {
                expected.add("m" + i);
            }
        }
        assertThat(received).containsExactlyElementsOf(expected);
        assertThat(broker.berth().metrics().securityCount("berth_auth_failures_total", "session-owner"))
                .isEqualTo(3);
    }

    @org.junit.jupiter.api.Test
    void ownership_survivesARestart() throws Exception {
        try (RawClient alice = RawClient.loggedIn(
                broker.port(), MqttVersion.V5, "alice-phone", false, persistent(MqttVersion.V5), "alice", "alice-pw")) {
            alice.send(DisconnectPacket.NORMAL);
        }
        broker.restart();
        assertThat(intrude(MqttVersion.V5, false).reasonCode()).isEqualTo(ReasonCode.NOT_AUTHORIZED);
        try (RawClient alice = RawClient.open(broker.port(), MqttVersion.V5)) {
            assertThat(alice.connect("alice-phone", false, persistent(MqttVersion.V5), null, "alice", "alice-pw")
                            .sessionPresent())
                    .isTrue();
        }
    }
}
