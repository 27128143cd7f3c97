package io.berth.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.client.Message;
import io.berth.client.store.SessionChange;
import io.berth.codec.QoS;
import org.junit.jupiter.api.Test;

/** Which changes hold a packet back from the wire until they are durable (ADR 17), so a force must not pause for them (ADR 22). */
class SessionImageTest {
    private final SessionImage image = new SessionImage();

    private static SessionChange.MessageAdded added(long seq, QoS qos) {
        return new SessionChange.MessageAdded(seq, new Message("t", new byte[] {1}, qos, false), 0);
    }

    @Test
    void qos2IsWrittenAhead_qos1GoesOutWithItsWrite() {
        SessionChange.MessageAdded qos1 = added(1, QoS.AT_LEAST_ONCE);
        SessionChange.MessageAdded qos2 = added(2, QoS.EXACTLY_ONCE);
        assertThat(image.holdsBackTheWire(qos1)).isFalse();
        assertThat(image.holdsBackTheWire(qos2)).isTrue();
        image.apply(qos1);
        image.apply(qos2);

        assertThat(image.holdsBackTheWire(new SessionChange.PacketIdAssigned(1, 7)))
                .isFalse();
        assertThat(image.holdsBackTheWire(new SessionChange.PacketIdAssigned(2, 8)))
                .as("PUBLISH of a QoS 2 message")
                .isTrue();
        assertThat(image.holdsBackTheWire(new SessionChange.MessageReleased(2)))
                .as("PUBREL")
                .isTrue();
        assertThat(image.holdsBackTheWire(new SessionChange.MessageRemoved(1))).isFalse();
        assertThat(image.holdsBackTheWire(new SessionChange.InboundReceived(9)))
                .as("PUBREC")
                .isTrue();
        assertThat(image.holdsBackTheWire(new SessionChange.InboundReleased(9)))
                .as("PUBCOMP")
                .isTrue();
    }
}
