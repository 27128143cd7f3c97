package io.berth.broker.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.codec.MqttPacket;
import io.berth.codec.MqttProperties;
import io.berth.codec.PubackPacket;
import io.berth.codec.PubrecPacket;
import io.berth.codec.ReasonCode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AckQueueTest {
    private final AckQueue acks = new AckQueue();
    private final List<MqttPacket> sent = new ArrayList<>();

    private int drain() {
        return acks.drain(a -> sent.add(a.error() == null ? a.answer() : a.failed));
    }

    private AckQueue.Pending puback(int id) {
        return acks.add(
                PubackPacket.of(id),
                new PubackPacket(id, ReasonCode.QUOTA_EXCEEDED, MqttProperties.EMPTY),
                new PubackPacket(id, ReasonCode.IMPLEMENTATION_SPECIFIC_ERROR, MqttProperties.EMPTY),
                true);
    }

    @Test
    void commitsCompleteOutOfOrder_acknowledgementsLeaveInRequestOrder() {
        // [MQTT-4.6.0-2] PUBACKs in the order the PUBLISH packets were received
        AckQueue.Pending one = puback(1);
        AckQueue.Pending two = puback(2);
        AckQueue.Pending three = puback(3);
        acks.complete(three, false, null);
        acks.complete(two, false, null);
        assertThat(drain()).isZero();
        acks.complete(one, false, null);
        assertThat(drain()).isEqualTo(3);
        assertThat(sent).containsExactly(PubackPacket.of(1), PubackPacket.of(2), PubackPacket.of(3));
        assertThat(acks.isEmpty()).isTrue();
    }

    @Test
    void readyAnswer_waitsForEarlierAcknowledgements() {
        AckQueue.Pending one = puback(1);
        acks.addReady(PubrecPacket.of(2));
        assertThat(drain()).isZero();
        acks.complete(one, false, null);
        drain();
        assertThat(sent).containsExactly(PubackPacket.of(1), PubrecPacket.of(2));
    }

    @Test
    void severalCompletions_readyOnlyAfterTheLast() {
        AckQueue.Pending one = puback(1);
        acks.waitMore(one);
        acks.complete(one, false, null);
        assertThat(drain()).isZero();
        acks.complete(one, false, null);
        assertThat(drain()).isEqualTo(1);
    }

    @Test
    void refusedOrFailed_answersWithTheirPackets() {
        AckQueue.Pending one = puback(1);
        AckQueue.Pending two = puback(2);
        acks.waitMore(one);
        acks.complete(one, true, null);
        acks.complete(one, false, null);
        acks.complete(two, false, new IllegalStateException("disk full"));
        drain();
        assertThat(sent)
                .containsExactly(
                        new PubackPacket(1, ReasonCode.QUOTA_EXCEEDED, MqttProperties.EMPTY),
                        new PubackPacket(2, ReasonCode.IMPLEMENTATION_SPECIFIC_ERROR, MqttProperties.EMPTY));
    }

    @Test
    void clear_forgetsWhatWasPending() {
        AckQueue.Pending one = puback(1);
        acks.clear();
        acks.complete(one, false, null);
        assertThat(drain()).isZero();
        assertThat(sent).isEmpty();
    }
}
