package io.berth.client.internal;

import io.berth.codec.PacketIds;
import java.util.BitSet;

/**
 * Hands out packet identifiers 1..65535 round-robin, skipping those in use. One allocator serves PUBLISH,
 * SUBSCRIBE and UNSUBSCRIBE, which share the identifier space of a session.
 *
 * <p>Threading: owned by the client's event loop.
 */
final class PacketIdAllocator {
  private final BitSet inUse = new BitSet(PacketIds.MAX + 1);
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
    } while (inUse.get(id));
    take(id);
    last = id;
    return id;
  }

  /** Marks an identifier as in use (one restored from the store). */
  void take(int id) {
    if (!inUse.get(id)) {
      inUse.set(id);
      count++;
    }
  }

  void release(int id) {
    if (inUse.get(id)) {
      inUse.clear(id);
      count--;
    }
  }

  boolean isFull() {
    return count == PacketIds.MAX;
  }
}
