package io.berth.broker.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.broker.RawClient;
import io.berth.broker.config.ClusterConfig;
import io.berth.codec.ConnackPacket;
import io.berth.codec.DisconnectPacket;
import io.berth.codec.MqttPacket;
import io.berth.codec.MqttProperties;
import io.berth.codec.MqttVersion;
import io.berth.codec.PubackPacket;
import io.berth.codec.PublishPacket;
import io.berth.codec.QoS;
import io.berth.codec.ReasonCode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A network partition: a proxy in front of one follower's Raft port drops everything the others send it.
 * The node cut off from the majority acknowledges nothing and sends its clients away; the majority keeps
 * serving; once healed, the node catches up and serves again.
 */
class ClusterPartitionTest extends ClusterFixture {
    private static final MqttProperties PERSISTENT =
            MqttProperties.builder().sessionExpiryInterval(3600L).build();

    private final List<RawClient> raw = new ArrayList<>();

    @AfterEach // before the fixture stops the cluster
    void closeRaw() {
        raw.forEach(RawClient::close);
    }

    private RawClient open(int node, MqttVersion version) throws Exception {
        RawClient c = RawClient.open(cluster.node(node).port(), version);
        raw.add(c);
        return c;
    }

    private int leader() {
        Awaitility.await()
                .atMost(Duration.ofSeconds(20))
                .until(() -> cluster.node(0).cluster().groupStatus().leaderId() != null);
        String id = cluster.node(0).cluster().groupStatus().leaderId();
        return Integer.parseInt(id.substring(1)) - 1;
    }

    /** Waits until what node {@code index} submits commits (a leader is elected and reachable). */
    private void serving(int index) {
        Awaitility.await()
                .atMost(Duration.ofSeconds(60))
                .ignoreExceptions()
                .until(() ->
                        cluster.node(index).cluster().claim("probe-" + index).get() == null);
    }

    /** Every packet the broker sends until it closes the connection. */
    private static List<MqttPacket> untilClosed(RawClient c) {
        List<MqttPacket> got = new ArrayList<>();
        while (true) {
            try {
                got.add(c.receive(Duration.ofSeconds(30)));
            } catch (AssertionError e) {
                if (e.getMessage().contains("closed by the broker")) {
                    return got;
                }
                throw e;
            }
        }
    }

    /** Acknowledges what {@code c} receives until a PUBLISH on {@code topic}; returns the topics before it. */
    private static List<String> receiveUntil(RawClient c, String topic) {
        List<String> before = new ArrayList<>();
        while (true) {
            PublishPacket p = c.expect(PublishPacket.class);
            c.send(new PubackPacket(p.packetId(), ReasonCode.SUCCESS, MqttProperties.EMPTY));
            if (p.topic().equals(topic)) {
                return before;
            }
            before.add(p.topic());
        }
    }

    private static PublishPacket publish(String topic, int packetId, String payload) {
        return new PublishPacket(
                topic,
                QoS.AT_LEAST_ONCE,
                false,
                false,
                packetId,
                payload.getBytes(StandardCharsets.UTF_8),
                MqttProperties.EMPTY);
    }

    @Test
    void aFollowerCutOff_sendsItsClientsAway_acknowledgesNothing_andCatchesUpWhenHealed() throws Exception {
        cluster = new TestCluster(dir, 3, true)
                .tuning(new ClusterConfig.Tuning(1_000, ClusterConfig.Tuning.DEFAULT.snapshotEvery()))
                .startAll();
        int leader = leader();
        int cut = (leader + 1) % 3;
        int other = (leader + 2) % 3;
        // every node follows the leader before the cut: the other two are a working majority
        serving(cut);
        serving(other);
        serving(leader);

        RawClient v5 = open(cut, MqttVersion.V5);
        assertThat(v5.connect("roamer", false, PERSISTENT, null).reasonCode()).isEqualTo(ReasonCode.SUCCESS);
        v5.subscribe(1, "part/#", QoS.AT_LEAST_ONCE);
        RawClient v311 = open(cut, MqttVersion.V3_1_1);
        assertThat(v311.connect("sensor", true, MqttProperties.EMPTY, null).reasonCode())
                .isEqualTo(ReasonCode.SUCCESS);

        cluster.proxy(cut).drop();
        v311.send(publish("part/unacked", 7, "sent after the cut"));

        // 5.0: DISCONNECT 0x9C Use another server (0x88 is not a DISCONNECT reason code [MQTT-3.14.2-1])
        List<MqttPacket> toV5 = untilClosed(v5);
        assertThat(toV5)
                .last()
                .isInstanceOfSatisfying(
                        DisconnectPacket.class,
                        d -> assertThat(d.reasonCode()).isEqualTo(ReasonCode.USE_ANOTHER_SERVER));
        assertThat(toV5).noneMatch(p -> p instanceof PublishPacket);
        // 3.1.1: closed, and the PUBLISH sent after the cut was never acknowledged
        assertThat(untilClosed(v311)).noneMatch(p -> p instanceof PubackPacket);
        assertThat(cluster.node(cut).cluster().groupStatus().cutOff()).isTrue();

        // a CONNECT there is refused at once: Server unavailable
        ConnackPacket refused = open(cut, MqttVersion.V5).connect("roamer", false, PERSISTENT, null);
        assertThat(refused.reasonCode()).isEqualTo(ReasonCode.SERVER_UNAVAILABLE);

        // the majority keeps serving (once it has a leader again, when the cut node led): the client
        // resumes its session on another node
        serving(other);
        RawClient moved = open(other, MqttVersion.V5);
        assertThat(moved.connect("roamer", false, PERSISTENT, null).sessionPresent())
                .isTrue();
        RawClient pub = open(other, MqttVersion.V5);
        pub.connect("publisher", true, MqttProperties.EMPTY, null);
        pub.send(publish("part/majority", 1, "m1"));
        assertThat(pub.expect(PubackPacket.class).reasonCode()).isEqualTo(ReasonCode.SUCCESS);
        // the PUBLISH sent to the cut node after the cut may have reached the leader through the cut
        // node's own requests (the proxy drops what is sent to the node, not what it sends): it was never
        // acknowledged, and at-least-once allows its delivery
        assertThat(receiveUntil(moved, "part/majority")).allMatch(t -> t.equals("part/unacked"));
        moved.close(); // the session stays, owned by the majority side, and queues
        pub.send(publish("part/majority", 2, "m2"));
        assertThat(pub.expect(PubackPacket.class).reasonCode()).isEqualTo(ReasonCode.SUCCESS);

        cluster.proxy(cut).heal();
        long target = cluster.node(other).cluster().groupStatus().appliedIndex();
        Awaitility.await()
                .atMost(Duration.ofSeconds(60))
                .until(() -> !cluster.node(cut).cluster().groupStatus().cutOff()
                        && cluster.node(cut).cluster().groupStatus().appliedIndex() >= target);

        // healed, the node serves again: the session resumes there with what was queued meanwhile
        RawClient back = open(cut, MqttVersion.V5);
        ConnackPacket resumed = back.connect("roamer", false, PERSISTENT, null);
        assertThat(resumed.reasonCode()).isEqualTo(ReasonCode.SUCCESS);
        assertThat(resumed.sessionPresent()).isTrue();
        // m1 again (it was acknowledged by the client, but maybe not yet applied when it left), then m2
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
            PublishPacket p = back.expect(PublishPacket.class);
            back.send(new PubackPacket(p.packetId(), ReasonCode.SUCCESS, MqttProperties.EMPTY));
            return new String(p.payload(), StandardCharsets.UTF_8).equals("m2");
        });
    }
}
