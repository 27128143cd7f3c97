package io.berth.client.internal;

import io.berth.codec.PacketIds;

/**
 * Hands out packet identifiers 1..65535 round-robin, skipping those in use. One allocator serves PUBLISH,
 * SUBSCRIBE and UNSUBSCRIBE, which share the identifier space of a session.
 *
 * <p>The identifiers in use are bits of a fixed array of longs: taking and releasing one costs the same
 * whatever else is in use ({@code java.util.BitSet} looked for its highest word in use on every clear of
 * its last one, a scan of up to a thousand words per PUBACK).
 *
 * <p>Threading: owned by the client's event loop.
 */
final class PacketIdAllocator {
    private final long[] inUse = new long[(PacketIds.MAX >> 6) + 1];
    private int count;
    private int last;

    /** The next free identifier, or 0 when all 65535 are in use. */
    int next() {
        if (count == PacketIds.MAX) {
            return 0;
        }
        int id = last;
        do {
            id = id == PacketIds.MAX ? 1 : id + 1;
        } while (isInUse(id));
        take(id);
        last = id;
        return id;
    }

    /** Marks an identifier as in use (one restored from the store). */
    void take(int id) {
        if (!isInUse(id)) {
            inUse[id >> 6] |= 1L << id;
            count++;
        }
    }

    void release(int id) {
        if (isInUse(id)) {
            inUse[id >> 6] &= ~(1L << id);
            count--;
        }
    }

    boolean isFull() {
        return count == PacketIds.MAX;
    }

    private boolean isInUse(int id) {
        return (inUse[id >> 6] & (1L << id)) != 0;
    }
}
