package io.berth.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.codec.ConnackPacket;
import io.berth.codec.DisconnectPacket;
import io.berth.codec.MqttPacket;
import io.berth.codec.MqttProperties;
import io.berth.codec.MqttVersion;
import io.berth.codec.PubackPacket;
import io.berth.codec.PublishPacket;
import io.berth.codec.QoS;
import io.berth.codec.ReasonCode;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Malformed input on the wire: each case gets its reason code on 5.0 (DISCONNECT) or a close on
 * 3.1.1, and a well-behaved client on another connection keeps being served throughout.
 */
class MalformedInputTest {
    private final TestBroker broker = new TestBroker(b -> b.maxPacketSize(1024));

    @AfterEach
    void stop() {
        broker.close();
    }

    static Stream<Arguments> afterConnect() {
        return Stream.of(
                // [MQTT-3.8.1-1] SUBSCRIBE with reserved flags 0000 instead of 0010
                Arguments.of("subscribe reserved flags", "80 06 00 01 00 01 61 00", ReasonCode.MALFORMED_PACKET),
                // [MQTT-3.3.1-4] PUBLISH with QoS 3
                Arguments.of("publish QoS 3", "36 05 00 01 61 00 01", ReasonCode.MALFORMED_PACKET),
                // [MQTT-1.5.4-1] topic "a" + ill-formed UTF-8 (0xC3 0x28)
                Arguments.of("ill-formed UTF-8 topic", "30 05 00 03 61 c3 28", ReasonCode.MALFORMED_PACKET),
                // [MQTT-1.5.4-2] topic with U+0000
                Arguments.of("null character in topic", "30 04 00 02 61 00", ReasonCode.MALFORMED_PACKET),
                // [MQTT-2.2.3-1] remaining length in 5 bytes
                Arguments.of("remaining length too long", "30 ff ff ff ff 01", ReasonCode.MALFORMED_PACKET),
                // [MQTT-3.3.2-2] wildcard in a topic name
                Arguments.of("wildcard in topic name", "30 04 00 02 61 23", ReasonCode.TOPIC_NAME_INVALID),
                // [MQTT-2.2.1-3] QoS 1 PUBLISH with packet identifier 0 (5.0: with an empty property length)
                Arguments.of("packet identifier 0", "32 05 00 01 61 00 00", ReasonCode.PROTOCOL_ERROR),
                // [MQTT-3.1.0-2] a second CONNECT
                Arguments.of(
                        "second CONNECT", "10 0d 00 04 4d 51 54 54 04 02 00 3c 00 01 78", ReasonCode.PROTOCOL_ERROR),
                // [MQTT-3.10.3-2] UNSUBSCRIBE without a filter
                Arguments.of("unsubscribe without filter", "a2 02 00 01", ReasonCode.PROTOCOL_ERROR));
    }

    /** The 5.0 form of a case whose 3.1.1 bytes lack the property length. */
    private static String v5Bytes(String name, String hex) {
        return switch (name) {
            case "packet identifier 0" -> "32 06 00 01 61 00 00 00";
            case "unsubscribe without filter" -> "a2 03 00 01 00";
            case "second CONNECT" -> "10 0e 00 04 4d 51 54 54 05 02 00 3c 00 00 01 78";
            default -> hex;
        };
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("afterConnect")
    void v311_malformedPacket_closesTheConnection(String name, String hex, ReasonCode ignored) throws Exception {
        try (Bystander bystander = new Bystander(broker.port());
                RawClient bad =
                        RawClient.connected(broker.port(), MqttVersion.V3_1_1, "bad", true, MqttProperties.EMPTY)) {
            bad.sendHex(hex);
            // 3.1.1 section 4.8: a protocol violation closes the connection
            assertThat(bad.awaitClosed(Duration.ofSeconds(5))).isTrue();
            bystander.assertStillServed();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("afterConnect")
    void v5_malformedPacket_getsDisconnectWithItsReasonCode(String name, String hex, ReasonCode reason)
            throws Exception {
        hex = v5Bytes(name, hex);
        try (Bystander bystander = new Bystander(broker.port());
                RawClient bad =
                        RawClient.connected(broker.port(), MqttVersion.V5, "bad5", true, MqttProperties.EMPTY)) {
            bad.sendHex(hex);
            // [MQTT-4.13.1-1] DISCONNECT with the reason code, then close
            MqttPacket answer = bad.receive();
            assertThat(answer).isInstanceOf(DisconnectPacket.class);
            assertThat(((DisconnectPacket) answer).reasonCode()).isEqualTo(reason);
            assertThat(bad.awaitClosed(Duration.ofSeconds(5))).isTrue();
            bystander.assertStillServed();
        }
    }

    @Test
    void v5_packetTooLarge_getsDisconnect0x95() throws Exception {
        try (RawClient bad = RawClient.connected(broker.port(), MqttVersion.V5, "big", true, MqttProperties.EMPTY)) {
            // PUBLISH announcing 2000 bytes against a maximum of 1024: refused before the body arrives
            bad.sendHex("30 d0 0f 00 01 61");
            assertThat(bad.expect(DisconnectPacket.class).reasonCode()).isEqualTo(ReasonCode.PACKET_TOO_LARGE);
        }
    }

    @Test
    void firstPacketNotConnect_isClosed() throws Exception {
        try (RawClient c = RawClient.open(broker.port(), MqttVersion.V3_1_1)) {
            // [MQTT-3.1.0-1] PINGREQ before CONNECT
            c.sendHex("c0 00");
            assertThat(c.awaitClosed(Duration.ofSeconds(5))).isTrue();
        }
    }

    @Test
    void unknownProtocolLevel_getsReturnCode1() throws Exception {
        try (RawClient c = RawClient.open(broker.port(), MqttVersion.V3_1_1)) {
            // [MQTT-3.1.2-2] protocol level 9
            c.sendHex("10 0d 00 04 4d 51 54 54 09 02 00 3c 00 01 78");
            assertThat(c.expect(ConnackPacket.class).reasonCode()).isEqualTo(ReasonCode.UNSUPPORTED_PROTOCOL_VERSION);
            assertThat(c.awaitClosed(Duration.ofSeconds(5))).isTrue();
        }
    }

    @Test
    void v5_duplicateProperty_isAProtocolError() throws Exception {
        try (RawClient bad = RawClient.connected(broker.port(), MqttVersion.V5, "dup", true, MqttProperties.EMPTY)) {
            // PUBLISH "a", properties: Message Expiry Interval twice
            bad.sendHex("30 0e 00 01 61 0a 02 00 00 00 01 02 00 00 00 02");
            assertThat(bad.expect(DisconnectPacket.class).reasonCode()).isEqualTo(ReasonCode.PROTOCOL_ERROR);
        }
    }

    @Test
    void noConnectWithinTheTimeout_isClosed() throws Exception {
        try (TestBroker quick = new TestBroker(b -> b.connectTimeoutSeconds(1));
                RawClient c = RawClient.open(quick.port(), MqttVersion.V3_1_1)) {
            assertThat(c.awaitClosed(Duration.ofSeconds(4))).isTrue();
        }
    }

    /** A well-behaved QoS 1 publisher and subscriber pair running beside the bad client. */
    private static final class Bystander implements AutoCloseable {
        private final RawClient client;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicInteger roundTrips = new AtomicInteger();
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private final Thread thread;

        Bystander(int port) throws Exception {
            client = RawClient.connected(port, MqttVersion.V5, "bystander", true, MqttProperties.EMPTY);
            client.subscribe(1, "calm", QoS.AT_LEAST_ONCE);
            thread = new Thread(
                    () -> {
                        try {
                            int id = 1;
                            while (running.get()) {
                                client.publish("calm", QoS.AT_LEAST_ONCE, id, "ok");
                                boolean acked = false;
                                boolean delivered = false;
                                while (!acked || !delivered) {
                                    MqttPacket p = client.receive();
                                    if (p instanceof PubackPacket) {
                                        acked = true;
                                    } else if (p instanceof PublishPacket pub) {
                                        client.send(PubackPacket.of(pub.packetId()));
                                        delivered = true;
                                    }
                                }
                                roundTrips.incrementAndGet();
                                id = id % 60_000 + 1;
                            }
                        } catch (Throwable t) {
                            failure.set(t);
                        }
                    },
                    "bystander");
            thread.start();
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> roundTrips.get() > 0);
        }

        void assertStillServed() {
            int before = roundTrips.get();
            org.awaitility.Awaitility.await()
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> roundTrips.get() > before + 5 || failure.get() != null);
            assertThat(failure.get()).isNull();
        }

        @Override
        public void close() throws Exception {
            running.set(false);
            thread.join(5000);
            client.close();
        }
    }
}
