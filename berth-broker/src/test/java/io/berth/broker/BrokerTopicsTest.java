package io.berth.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.broker.config.SecurityConfig;
import io.berth.codec.ConnackPacket;
import io.berth.codec.MqttProperties;
import io.berth.codec.MqttVersion;
import io.berth.codec.PubackPacket;
import io.berth.codec.PublishPacket;
import io.berth.codec.PubrecPacket;
import io.berth.codec.QoS;
import io.berth.codec.ReasonCode;
import io.berth.codec.Will;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Clients never write to the broker's own topics ({@code $SYS/...}), with or without an ACL file: a
 * PUBLISH there is not routed nor retained (5.0: 0x87 Not authorized; 3.1.1: acknowledged and dropped,
 * as Mosquitto does), and a will there refuses the CONNECT.
 */
class BrokerTopicsTest {
    private static final String EVENT = "$SYS/berth/events/queue-watermark";

    @TempDir
    Path dir;

    private static byte[] forged() {
        return "{\"event\":\"queue-watermark\",\"state\":\"drained\"}".getBytes(StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @EnumSource(
            value = MqttVersion.class,
            names = {"V3_1_1", "V5"})
    void publishToSys_withoutAcl_isNotRoutedNorRetained(MqttVersion v) throws Exception {
        try (TestBroker broker = new TestBroker();
                RawClient watcher =
                        RawClient.connected(broker.port(), MqttVersion.V5, "watcher", true, MqttProperties.EMPTY);
                RawClient forger = RawClient.connected(broker.port(), v, "forger", true, MqttProperties.EMPTY)) {
            watcher.subscribe(1, "$SYS/#", QoS.AT_LEAST_ONCE);
            forger.send(new PublishPacket(EVENT, QoS.AT_LEAST_ONCE, true, false, 1, forged(), MqttProperties.EMPTY));
            ReasonCode expected = v.isV5() ? ReasonCode.NOT_AUTHORIZED : ReasonCode.SUCCESS;
            assertThat(forger.expect(PubackPacket.class).reasonCode()).isEqualTo(expected);
            forger.send(new PublishPacket(EVENT, QoS.EXACTLY_ONCE, true, false, 2, forged(), MqttProperties.EMPTY));
            assertThat(forger.expect(PubrecPacket.class).reasonCode()).isEqualTo(expected);
            forger.send(new PublishPacket(EVENT, QoS.AT_MOST_ONCE, true, false, 0, forged(), MqttProperties.EMPTY));
            watcher.expectNothing(Duration.ofMillis(300));
            try (RawClient late =
                    RawClient.connected(broker.port(), MqttVersion.V5, "late", true, MqttProperties.EMPTY)) {
                late.subscribe(1, "$SYS/#", QoS.AT_LEAST_ONCE);
                late.expectNothing(Duration.ofMillis(300));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(
            value = MqttVersion.class,
            names = {"V3_1_1", "V5"})
    void willToSys_refusesTheConnect(MqttVersion v) throws Exception {
        try (TestBroker broker = new TestBroker();
                RawClient c = RawClient.open(broker.port(), v)) {
            Will will = new Will(EVENT, forged(), QoS.AT_LEAST_ONCE, true, MqttProperties.EMPTY);
            ConnackPacket ack = c.connect("willer", true, MqttProperties.EMPTY, will);
            assertThat(ack.reasonCode()).isEqualTo(ReasonCode.NOT_AUTHORIZED);
        }
    }

    @Test
    void clientNamedSys_getsNoRightsFromClientIdRules() throws Exception {
        Path acl = dir.resolve("berth.acl");
        Files.writeString(acl, "everyone\n  all %c/#\n");
        try (TestBroker broker = new TestBroker(b -> b.security(SecurityConfig.DEFAULT.withAclFile(acl)));
                RawClient sys = RawClient.connected(broker.port(), MqttVersion.V5, "$SYS", true, MqttProperties.EMPTY);
                RawClient car = RawClient.connected(broker.port(), MqttVersion.V5, "car", true, MqttProperties.EMPTY)) {
            assertThat(sys.subscribe(1, "$SYS/#", QoS.AT_LEAST_ONCE).reasonCodes())
                    .containsExactly(ReasonCode.NOT_AUTHORIZED);
            sys.publish("$SYS/berth/x", QoS.AT_LEAST_ONCE, 2, "forged");
            assertThat(sys.expect(PubackPacket.class).reasonCode()).isEqualTo(ReasonCode.NOT_AUTHORIZED);
            // the rule still works for an ordinary name
            assertThat(car.subscribe(1, "car/#", QoS.AT_LEAST_ONCE).reasonCodes())
                    .containsExactly(ReasonCode.GRANTED_QOS_1);
        }
    }
}
