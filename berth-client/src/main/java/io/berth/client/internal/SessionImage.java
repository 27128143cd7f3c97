package io.berth.client.internal;

import io.berth.client.store.SessionChange;
import io.berth.client.store.StoredSession;
import io.berth.client.store.StoredSession.StoredMessage;
import java.util.ArrayList;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The live content of a session store, rebuilt by applying {@link SessionChange}s in order. Both stores use
 * it: the memory store as its whole state, the file store to replay its log and to write a compacted one.
 * Changes that name an unknown message are ignored, so a replayed log never fails on them.
 *
 * <p>Threading: not thread-safe; owned by whoever owns the store's writes.
 */
final class SessionImage {
    private final TreeMap<Long, StoredMessage> messages = new TreeMap<>();
    private final TreeSet<Integer> inbound = new TreeSet<>();
    private long payloadBytes;

    void apply(SessionChange change) {
        if (change instanceof SessionChange.MessageAdded c) {
            messages.put(c.seq(), new StoredMessage(c.seq(), c.message(), 0, false, c.addedAtMillis()));
            payloadBytes += c.message().payload().length;
        } else if (change instanceof SessionChange.PacketIdAssigned c) {
            messages.computeIfPresent(
                    c.seq(), (k, m) -> new StoredMessage(k, m.message(), c.packetId(), false, m.addedAtMillis()));
        } else if (change instanceof SessionChange.MessageReleased c) {
            messages.computeIfPresent(
                    c.seq(), (k, m) -> new StoredMessage(k, m.message(), m.packetId(), true, m.addedAtMillis()));
        } else if (change instanceof SessionChange.MessageReset c) {
            messages.computeIfPresent(
                    c.seq(), (k, m) -> new StoredMessage(k, m.message(), 0, false, m.addedAtMillis()));
        } else if (change instanceof SessionChange.MessageRemoved c) {
            StoredMessage removed = messages.remove(c.seq());
            if (removed != null) {
                payloadBytes -= removed.message().payload().length;
            }
        } else if (change instanceof SessionChange.InboundReceived c) {
            inbound.add(c.packetId());
        } else if (change instanceof SessionChange.InboundReleased c) {
            inbound.remove(c.packetId());
        } else if (change instanceof SessionChange.InboundCleared) {
            inbound.clear();
        } else {
            throw new IllegalArgumentException("unknown change " + change);
        }
    }

    StoredSession snapshot() {
        return new StoredSession(new ArrayList<>(messages.values()), inbound);
    }

    /** A rough size of the live content, to decide when a log is worth compacting. */
    long liveBytes() {
        return payloadBytes + 64L * messages.size() + 8L * inbound.size();
    }
}
