package io.berth.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.codec.PacketIds;
import org.junit.jupiter.api.Test;

class PacketIdAllocatorTest {
    @Test
    void next_handsOutIdentifiersRoundRobinFromOne() {
        PacketIdAllocator ids = new PacketIdAllocator();
        assertThat(ids.next()).isEqualTo(1);
        assertThat(ids.next()).isEqualTo(2);
        ids.release(1);
        assertThat(ids.next()).isEqualTo(3); // round-robin: a released identifier waits for its turn
    }

    @Test
    void next_skipsIdentifiersInUse_acrossWordsAndTheWrap() {
        PacketIdAllocator ids = new PacketIdAllocator();
        ids.take(63);
        ids.take(64);
        ids.take(65);
        for (int i = 1; i <= 62; i++) {
            assertThat(ids.next()).isEqualTo(i);
        }
        assertThat(ids.next()).isEqualTo(66);
        for (int i = 1; i <= 66; i++) {
            ids.release(i);
        }
        ids.take(PacketIds.MAX);
        ids.take(1);
        // continue from 66 up to 65534, then wrap past 65535 and 1 (both in use) to 2
        for (int i = 67; i < PacketIds.MAX; i++) {
            assertThat(ids.next()).isEqualTo(i);
        }
        assertThat(ids.next()).isEqualTo(2);
    }

    @Test
    void next_whenAll65535InUse_returnsZeroUntilOneIsReleased() {
        PacketIdAllocator ids = new PacketIdAllocator();
        for (int i = 1; i <= PacketIds.MAX; i++) {
            assertThat(ids.next()).isEqualTo(i);
        }
        assertThat(ids.isFull()).isTrue();
        assertThat(ids.next()).isZero();
        ids.release(40_000);
        assertThat(ids.isFull()).isFalse();
        assertThat(ids.next()).isEqualTo(40_000);
        assertThat(ids.isFull()).isTrue();
    }

    @Test
    void takeAndRelease_countEachIdentifierOnce() {
        PacketIdAllocator ids = new PacketIdAllocator();
        ids.take(7);
        ids.take(7);
        ids.release(7);
        ids.release(7);
        ids.release(8); // never taken
        for (int i = 1; i <= PacketIds.MAX; i++) {
            assertThat(ids.next()).isEqualTo(i);
        }
        assertThat(ids.isFull()).isTrue();
    }
}
