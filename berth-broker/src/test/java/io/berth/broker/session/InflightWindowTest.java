package io.berth.broker.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.codec.QoS;
import org.junit.jupiter.api.Test;

/** The ring of messages in flight: by position, by packet id, in order, across the packet id wrap. */
class InflightWindowTest {
    private final InflightWindow window = new InflightWindow();

    private static Outflight sent(long seq) {
        Outflight o = new Outflight(seq, 1000 + seq, OutgoingPublish.packetIdOf(seq), QoS.AT_LEAST_ONCE, 10);
        o.sentHere = true;
        return o;
    }

    @Test
    void putAndRemove_inAndOutOfOrder_keepOldestSizeAndOrder() {
        Outflight a = sent(5);
        Outflight b = sent(6);
        Outflight c = sent(7);
        window.put(a);
        window.put(b);
        window.put(c);
        assertThat(window.size()).isEqualTo(3);
        assertThat(window.sentHere()).isEqualTo(3);
        assertThat(window.oldestSeq()).isEqualTo(5);
        window.remove(b); // out of order: a gap in the middle
        assertThat(window.contains(6)).isFalse();
        assertThat(window.inOrder()).containsExactly(a, c);
        window.remove(a);
        assertThat(window.oldestSeq()).isEqualTo(7);
        window.remove(c);
        assertThat(window.isEmpty()).isTrue();
        assertThat(window.sentHere()).isZero();
        assertThat(window.inOrder()).isEmpty();
    }

    @Test
    void byPacketId_findsThePosition_acrossTheWrapOfPacketIds() {
        long base = 65_535L * 3 - 2; // packet ids 65,534 and 65,535, then 1 and 2
        Outflight[] all = new Outflight[4];
        for (int i = 0; i < 4; i++) {
            all[i] = sent(base + i);
            window.put(all[i]);
        }
        assertThat(all[2].packetId).isEqualTo(1);
        for (Outflight o : all) {
            assertThat(window.byPacketId(o.packetId)).isSameAs(o);
        }
        assertThat(window.byPacketId(3)).isNull();
        assertThat(window.byPacketId(0)).isNull();
        window.remove(all[0]);
        window.remove(all[1]);
        assertThat(window.byPacketId(65_535)).isNull();
        assertThat(window.byPacketId(2)).isSameAs(all[3]);
    }

    @Test
    void growsToCoverALongSpan_andPutsBelowTheOldest() {
        Outflight low = sent(100);
        Outflight high = sent(100 + 40_000);
        window.put(high);
        window.put(low); // below the oldest: a resend restored at start
        assertThat(window.oldestSeq()).isEqualTo(100);
        assertThat(window.inOrder()).containsExactly(low, high);
        assertThat(window.byPacketId(high.packetId)).isSameAs(high);
        for (long s = 101; s < 140; s++) {
            window.put(sent(s));
        }
        assertThat(window.size()).isEqualTo(41);
        assertThat(window.inOrder().get(1).seq).isEqualTo(101);
    }

    @Test
    void replacingAPosition_keepsTheCounts_andHoldsTheNewOne() {
        Outflight first = sent(9);
        window.put(first);
        Outflight again = new Outflight(9, 1009, first.packetId, QoS.EXACTLY_ONCE, 10);
        window.put(again);
        assertThat(window.size()).isEqualTo(1);
        assertThat(window.sentHere()).isZero();
        assertThat(window.holds(first)).isFalse();
        assertThat(window.holds(again)).isTrue();
        window.markSent(again);
        assertThat(window.sentHere()).isEqualTo(1);
        window.remove(first); // no longer the one at its position: nothing happens
        assertThat(window.size()).isEqualTo(1);
    }

    @Test
    void reset_offline_forgetsPayloads_andTheSentCount() {
        Outflight a = sent(1);
        window.put(a);
        window.reset(true);
        assertThat(window.sentHere()).isZero();
        assertThat(a.sentHere).isFalse();
        assertThat(window.byPacketId(a.packetId)).isSameAs(a);
        window.remove(a);
        window.reset(true);
        assertThat(window.isEmpty()).isTrue();
    }
}
