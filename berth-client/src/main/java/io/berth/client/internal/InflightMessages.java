package io.berth.client.internal;

import io.netty.util.collection.IntObjectHashMap;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The messages in flight, by packet identifier, and the order they went in flight in: the order in which
 * they are sent again after a reconnect. A lookup by a PUBACK's identifier costs no boxed key and no
 * entry object; the order is a number each message gets when it is put, sorted only when the whole set is
 * read (on a reconnect, a lost session or close).
 *
 * <p>Threading: owned by the client's event loop.
 */
final class InflightMessages {
    private static final Comparator<OutgoingMessage> IN_ORDER = Comparator.comparingLong(o -> o.inflightOrder);

    private final IntObjectHashMap<OutgoingMessage> byPacketId = new IntObjectHashMap<>();
    private long nextOrder;

    /** Puts {@code o} in flight under its packet identifier, after every message already in flight. */
    void put(OutgoingMessage o) {
        o.inflightOrder = nextOrder++;
        byPacketId.put(o.packetId, o);
    }

    @Nullable
    OutgoingMessage get(int packetId) {
        return byPacketId.get(packetId);
    }

    void remove(int packetId) {
        byPacketId.remove(packetId);
    }

    /** The messages in flight in the order they were put. */
    List<OutgoingMessage> inOrder() {
        List<OutgoingMessage> list = new ArrayList<>(byPacketId.values());
        list.sort(IN_ORDER);
        return list;
    }

    int size() {
        return byPacketId.size();
    }

    void clear() {
        byPacketId.clear();
    }
}
