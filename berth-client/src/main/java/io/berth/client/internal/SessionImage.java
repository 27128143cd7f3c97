package io.berth.client.internal;

import io.berth.client.Message;
import io.berth.client.store.SessionChange;
import io.berth.client.store.StoredSession;
import io.berth.client.store.StoredSession.StoredMessage;
import io.berth.codec.QoS;
import io.netty.util.collection.LongObjectHashMap;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/**
 * The live content of a session store, rebuilt by applying {@link SessionChange}s in order. Both stores use
 * it: the memory store as its whole state, the file store to replay its log and to write a compacted one.
 * Changes that name an unknown message are ignored, so a replayed log never fails on them.
 *
 * <p>A change costs one hash lookup and no allocation but the entry of a new message: the file store's
 * writer applies three per QoS 1 message. Sequence order is restored in {@link #snapshot()}, which runs
 * only on open and on compaction.
 *
 * <p>Threading: not thread-safe; owned by whoever owns the store's writes.
 */
final class SessionImage {
    /** A message's state, changed in place. */
    private static final class Entry {
        final long seq;
        final Message message;
        final long addedAtMillis;
        int packetId;
        boolean released;

        Entry(long seq, Message message, long addedAtMillis) {
            this.seq = seq;
            this.message = message;
            this.addedAtMillis = addedAtMillis;
        }
    }

    /** By sequence number, without a boxed key per message. */
    private final LongObjectHashMap<Entry> messages = new LongObjectHashMap<>();

    private final TreeSet<Integer> inbound = new TreeSet<>();
    private long payloadBytes;

    void apply(SessionChange change) {
        if (change instanceof SessionChange.MessageAdded c) {
            Entry old = messages.put(c.seq(), new Entry(c.seq(), c.message(), c.addedAtMillis()));
            if (old != null) {
                payloadBytes -= old.message.payload().length;
            }
            payloadBytes += c.message().payload().length;
        } else if (change instanceof SessionChange.PacketIdAssigned c) {
            Entry e = messages.get(c.seq());
            if (e != null) {
                e.packetId = c.packetId();
                e.released = false;
            }
        } else if (change instanceof SessionChange.MessageReleased c) {
            Entry e = messages.get(c.seq());
            if (e != null) {
                e.released = true;
            }
        } else if (change instanceof SessionChange.MessageReset c) {
            Entry e = messages.get(c.seq());
            if (e != null) {
                e.packetId = 0;
                e.released = false;
            }
        } else if (change instanceof SessionChange.MessageRemoved c) {
            Entry removed = messages.remove(c.seq());
            if (removed != null) {
                payloadBytes -= removed.message.payload().length;
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

    /**
     * Whether the client holds a packet back from the wire until {@code change} is durable: QoS 2 is
     * written ahead (its PUBLISH and PUBREL, and the PUBREC and PUBCOMP of an inbound one, ADR 17); a QoS 1
     * PUBLISH goes out with its write, and a removal is waited on by nobody. Asked before the change is
     * applied.
     */
    boolean holdsBackTheWire(SessionChange change) {
        if (change instanceof SessionChange.MessageAdded c) {
            return c.message().qos() == QoS.EXACTLY_ONCE;
        } else if (change instanceof SessionChange.PacketIdAssigned c) {
            Entry e = messages.get(c.seq());
            return e != null && e.message.qos() == QoS.EXACTLY_ONCE;
        }
        return change instanceof SessionChange.MessageReleased
                || change instanceof SessionChange.InboundReceived
                || change instanceof SessionChange.InboundReleased;
    }

    StoredSession snapshot() {
        List<StoredMessage> list = new ArrayList<>(messages.size());
        for (Entry e : messages.values()) {
            list.add(new StoredMessage(e.seq, e.message, e.packetId, e.released, e.addedAtMillis));
        }
        list.sort(Comparator.comparingLong(StoredMessage::seq));
        return new StoredSession(list, inbound);
    }

    /** A rough size of the live content, to decide when a log is worth compacting. */
    long liveBytes() {
        return payloadBytes + 64L * messages.size() + 8L * inbound.size();
    }
}
