package io.berth.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.broker.config.Durability;
import io.berth.codec.MqttPacket;
import io.berth.codec.MqttProperties;
import io.berth.codec.MqttVersion;
import io.berth.codec.PubcompPacket;
import io.berth.codec.PublishPacket;
import io.berth.codec.PubrecPacket;
import io.berth.codec.PubrelPacket;
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
 * Inbound QoS 2 on the durable store (commits take an fsync, so packets that come before a commit are
 * seen): acknowledgement order, PUBRELs and resent PUBLISHes before the commit, and subscribers on the
 * publisher's shard and on the other one.
 */
class Qos2FlowTest {
    private static final int SHARDS = 2;

    @TempDir
    Path data;

    private Berth berth;

    @BeforeEach
    void start() {
        berth = Berth.builder()
                .port(0)
                .dataDir(data)
                .durability(Durability.FSYNC)
                .configure(b -> b.shards(SHARDS))
                .build()
                .start();
    }

    @AfterEach
    void stop() {
        berth.close();
    }

    /** A client id starting with {@code prefix} whose session lives on {@code shard}. */
    private static String onShard(String prefix, int shard) {
        for (int i = 0; ; i++) {
            String id = prefix + i;
            if (Math.floorMod(id.hashCode(), SHARDS) == shard) {
                return id;
            }
        }
    }

    private RawClient connect(MqttVersion v, String id) throws Exception {
        MqttProperties props =
                v.isV5() ? MqttProperties.builder().sessionExpiryInterval(3600L).build() : MqttProperties.EMPTY;
        return RawClient.connected(berth.port(), v, id, false, props);
    }

    /** Receives {@code count} QoS 2 messages, completing each exchange; returns their payloads in order. */
    private static List<String> receiveAll(RawClient sub, int count) {
        List<String> got = new ArrayList<>();
        int completed = 0;
        while (got.size() < count || completed < count) {
            MqttPacket m = sub.receive();
            if (m instanceof PublishPacket p) {
                assertThat(p.qos()).isEqualTo(QoS.EXACTLY_ONCE);
                got.add(new String(p.payload(), StandardCharsets.UTF_8));
                sub.send(PubrecPacket.of(p.packetId()));
            } else if (m instanceof PubrelPacket rel) {
                sub.send(PubcompPacket.of(rel.packetId()));
                completed++;
            } else {
                throw new AssertionError("unexpected " + m);
            }
        }
        return got;
    }

    @ParameterizedTest
    @EnumSource(
            value = MqttVersion.class,
            names = {"V3_1_1", "V5"})
    void pipelinedQos2_acknowledgedInOrder_deliveredOnceInOrderOnBothShards(MqttVersion v) throws Exception {
        int count = 300;
        String pubId = onShard("pub", 0);
        try (RawClient near = connect(v, onShard("near", 0));
                RawClient far = connect(v, onShard("far", 1));
                RawClient pub = connect(v, pubId)) {
            near.subscribe(1, "q2/#", QoS.EXACTLY_ONCE);
            far.subscribe(1, "q2/#", QoS.EXACTLY_ONCE);
            for (int i = 1; i <= count; i++) {
                pub.publish("q2/a", QoS.EXACTLY_ONCE, i, "m" + i);
            }
            // [MQTT-4.6.0-3] PUBRECs in the order of the PUBLISHes, one per packet id [MQTT-4.3.3-8]
            for (int i = 1; i <= count; i++) {
                assertThat(pub.expect(PubrecPacket.class).packetId()).isEqualTo(i);
            }
            for (int i = 1; i <= count; i++) {
                pub.send(PubrelPacket.of(i));
            }
            // PUBCOMPs in the order of the PUBRELs [MQTT-4.3.3-10]
            for (int i = 1; i <= count; i++) {
                PubcompPacket c = pub.expect(PubcompPacket.class);
                assertThat(c.packetId()).isEqualTo(i);
                assertThat(c.reasonCode()).isEqualTo(ReasonCode.SUCCESS);
            }
            List<String> expected = new ArrayList<>();
            for (int i = 1; i <= count; i++) {
                expected.add("m" + i);
            }
            // [MQTT-4.6.0-6] each subscriber gets them once, in the order they were published
            assertThat(receiveAll(near, count)).containsExactlyElementsOf(expected);
            assertThat(receiveAll(far, count)).containsExactlyElementsOf(expected);
            near.expectNothing(Duration.ofMillis(200));
            far.expectNothing(Duration.ofMillis(200));
        }
    }

    @ParameterizedTest
    @EnumSource(
            value = MqttVersion.class,
            names = {"V3_1_1", "V5"})
    void pubrelAndResendBeforeTheCommit_waitForIt_andDeliverOnce(MqttVersion v) throws Exception {
        try (RawClient sub = connect(v, onShard("sub", 1));
                RawClient pub = connect(v, onShard("pub", 0))) {
            sub.subscribe(1, "early", QoS.EXACTLY_ONCE);
            byte[] x = "x".getBytes(StandardCharsets.UTF_8);
            // sent together, before the first commit can have ended (an fsync)
            pub.send(new PublishPacket("early", QoS.EXACTLY_ONCE, false, false, 9, x, MqttProperties.EMPTY));
            pub.send(new PublishPacket("early", QoS.EXACTLY_ONCE, false, true, 9, x, MqttProperties.EMPTY));
            pub.send(PubrelPacket.of(9));
            // [MQTT-4.3.3-9] the resent PUBLISH is acknowledged too [MQTT-4.6.0-3]; [MQTT-4.3.3-10] the PUBREL
            // completes, after both PUBRECs
            assertThat(pub.expect(PubrecPacket.class).packetId()).isEqualTo(9);
            assertThat(pub.expect(PubrecPacket.class).packetId()).isEqualTo(9);
            PubcompPacket c = pub.expect(PubcompPacket.class);
            assertThat(c.packetId()).isEqualTo(9);
            assertThat(c.reasonCode()).isEqualTo(ReasonCode.SUCCESS);
            assertThat(receiveAll(sub, 1)).containsExactly("x");
            sub.expectNothing(Duration.ofMillis(200));

            // [MQTT-4.3.3-11] after PUBCOMP the same packet id starts a new message
            pub.send(new PublishPacket(
                    "early",
                    QoS.EXACTLY_ONCE,
                    false,
                    false,
                    9,
                    "y".getBytes(StandardCharsets.UTF_8),
                    MqttProperties.EMPTY));
            assertThat(pub.expect(PubrecPacket.class).packetId()).isEqualTo(9);
            pub.send(PubrelPacket.of(9));
            assertThat(pub.expect(PubcompPacket.class).packetId()).isEqualTo(9);
            assertThat(receiveAll(sub, 1)).containsExactly("y");
        }
    }
}
