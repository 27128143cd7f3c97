package io.berth.broker.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.broker.store.StoredMessage;
import io.berth.codec.MqttProperties;
import io.berth.codec.QoS;
import io.berth.codec.UserProperty;
import io.berth.codec.Will;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The message a will becomes, and its delay. */
class WillsTest {
    private static final byte[] PAYLOAD = "gone".getBytes(StandardCharsets.UTF_8);

    @Test
    void message_carriesTheWillsTopicPayloadQosRetain_andWhoseWillItIs() {
        Will will = new Will("status/dev1", PAYLOAD, QoS.EXACTLY_ONCE, true, MqttProperties.EMPTY);

        StoredMessage m = Wills.message(will, 42, 1_000L, "dev1");

        assertThat(m.id()).isEqualTo(42);
        assertThat(m.topic()).isEqualTo("status/dev1");
        assertThat(m.payload()).isEqualTo(PAYLOAD);
        assertThat(m.qos()).isEqualTo(QoS.EXACTLY_ONCE);
        assertThat(m.retain()).isTrue();
        assertThat(m.arrivalMillis()).isEqualTo(1_000L);
        assertThat(m.publisherId()).isEqualTo("dev1");
    }

    @Test
    void message_forwardsThePublishProperties_butNotTheWillDelay() {
        byte[] correlation = {1, 2, 3};
        // [MQTT-3.1.3-10] the order of the user properties is kept
        List<UserProperty> users = List.of(new UserProperty("b", "1"), new UserProperty("a", "2"));
        Will will = new Will(
                "status/dev1",
                PAYLOAD,
                QoS.AT_LEAST_ONCE,
                false,
                MqttProperties.builder()
                        .willDelayInterval(30L)
                        .payloadFormatIndicator(1)
                        .messageExpiryInterval(60L)
                        .contentType("text/plain")
                        .responseTopic("replies/dev1")
                        .correlationData(correlation)
                        .userProperties(users)
                        .build());

        MqttProperties p = Wills.message(will, 1, 0, "dev1").properties();

        assertThat(p.willDelayInterval()).isNull();
        assertThat(p.payloadFormatIndicator()).isEqualTo(1);
        assertThat(p.messageExpiryInterval()).isEqualTo(60L);
        assertThat(p.contentType()).isEqualTo("text/plain");
        assertThat(p.responseTopic()).isEqualTo("replies/dev1");
        assertThat(p.correlationData()).isEqualTo(correlation);
        assertThat(p.userProperties()).containsExactlyElementsOf(users);
    }

    @Test
    void delaySeconds_isZeroWithoutAWillDelay() {
        Will none = new Will("t", PAYLOAD, QoS.AT_MOST_ONCE, false, MqttProperties.EMPTY);
        Will delayed = new Will(
                "t",
                PAYLOAD,
                QoS.AT_MOST_ONCE,
                false,
                MqttProperties.builder().willDelayInterval(5L).build());

        assertThat(Wills.delaySeconds(none)).isZero();
        assertThat(Wills.delaySeconds(delayed)).isEqualTo(5);
    }
}
