package io.berth.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.client.Message;
import io.berth.client.PublishFuture;
import io.berth.codec.QoS;
import org.junit.jupiter.api.Test;

class InflightMessagesTest {
    private static OutgoingMessage message(long seq, int packetId) {
        OutgoingMessage o = new OutgoingMessage(
                seq, new Message("t", new byte[] {1}, QoS.AT_LEAST_ONCE, false), new PublishFuture(), 0);
        o.packetId = packetId;
        return o;
    }

    @Test
    void inOrder_isTheOrderMessagesWerePut_notThePacketIdentifiers() {
        InflightMessages inflight = new InflightMessages();
        OutgoingMessage a = message(1, 65_535);
        OutgoingMessage b = message(2, 1); // the identifiers wrapped around
        OutgoingMessage c = message(3, 300);
        inflight.put(a);
        inflight.put(b);
        inflight.put(c);

        assertThat(inflight.inOrder()).containsExactly(a, b, c);
        assertThat(inflight.get(1)).isSameAs(b);
        assertThat(inflight.get(300)).isSameAs(c);
        assertThat(inflight.get(2)).isNull();
        assertThat(inflight.size()).isEqualTo(3);
    }

    @Test
    void remove_andPutAgain_keepsTheOthersInOrder_andPutsTheNewOneLast() {
        InflightMessages inflight = new InflightMessages();
        OutgoingMessage a = message(1, 10);
        OutgoingMessage b = message(2, 11);
        OutgoingMessage c = message(3, 12);
        inflight.put(a);
        inflight.put(b);
        inflight.put(c);

        inflight.remove(11);
        OutgoingMessage d = message(4, 11); // the released identifier again
        inflight.put(d);

        assertThat(inflight.get(11)).isSameAs(d);
        assertThat(inflight.inOrder()).containsExactly(a, c, d);
        inflight.clear();
        assertThat(inflight.inOrder()).isEmpty();
        assertThat(inflight.size()).isZero();
    }
}
