package io.berth.bench.client;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SequenceCheckTest {
    @Test
    void inOrderOnce_isClean() {
        SequenceCheck c = new SequenceCheck();
        for (long i = 0; i < 5; i++) {
            c.record(SequenceCheck.key(0, 1), i);
        }
        assertThat(c.lost(5)).isZero();
        assertThat(c.duplicates()).isZero();
        assertThat(c.outOfOrder()).isZero();
    }

    @Test
    void repeatsGapsAndLateArrivals_areCountedApart() {
        SequenceCheck c = new SequenceCheck();
        long stream = SequenceCheck.key(0, 1);
        c.record(stream, 0);
        c.record(stream, 2); // 1 is late
        c.record(stream, 2); // duplicate
        c.record(stream, 1); // out of order
        c.record(SequenceCheck.key(1, 1), 0); // same publisher, another subscriber: its own stream

        assertThat(c.duplicates()).isEqualTo(1);
        assertThat(c.outOfOrder()).isEqualTo(1);
        assertThat(c.distinct()).isEqualTo(4);
        assertThat(c.lost(6)).isEqualTo(2);
    }

    @Test
    void payload_carriesStreamSequenceAndTime() {
        byte[] p = Payloads.encode(7, 1L << 40, 123_456_789L, 64);
        assertThat(p).hasSize(64);
        assertThat(Payloads.stream(p)).isEqualTo(7);
        assertThat(Payloads.seq(p)).isEqualTo(1L << 40);
        assertThat(Payloads.sentNanos(p)).isEqualTo(123_456_789L);
        assertThat(Payloads.encode(1, 1, 1, 4)).hasSize(Payloads.HEADER);
    }
}
