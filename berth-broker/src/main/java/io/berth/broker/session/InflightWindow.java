package io.berth.broker.session;

import io.berth.broker.store.InflightRecord;
import io.berth.broker.store.StoreCommand;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A session's outbound messages sent and not yet acknowledged, by queue position and by packet id, and
 * how many of them went out on the current connection (what the client's Receive Maximum counts).
 *
 * <p>The messages sit in a ring indexed by queue position, covering the positions from the oldest in
 * flight to the newest; a position acknowledged out of order holds null. The pump never sends a position
 * 65,535 or more past the oldest in flight, so the ring has at most 65,536 slots, and a packet id (derived
 * from the position, {@link OutgoingPublish#packetIdOf}) names exactly one position in it. The ring is
 * kept while the session is online, so sending and acknowledging allocate nothing; an offline session
 * with nothing in flight holds none.
 *
 * <p>Threading: owned by the session's shard.
 */
final class InflightWindow {
    private static final @Nullable Outflight[] NONE = new Outflight[0];
    private static final int PACKET_IDS = 65_535;

    /** Indexed by {@code seq & (length - 1)}; the length is a power of two, or 0. */
    private @Nullable Outflight[] slots = NONE;
    /** The oldest position in flight, when any. */
    private long first;
    /** One past the newest position in flight, when any. */
    private long end;

    private int size;
    private int sentHere;

    /** Adds (or replaces, for the same position) a message in flight. */
    void put(Outflight o) {
        long seq = o.seq;
        if (size == 0) {
            cover(seq, seq + 1);
        } else if (seq < first) {
            cover(seq, end);
        } else if (seq >= end) {
            cover(first, seq + 1);
        }
        int i = index(seq);
        Outflight previous = slots[i];
        if (previous == null) {
            size++;
        } else if (previous.sentHere) {
            sentHere--;
        }
        slots[i] = o;
        if (o.sentHere) {
            sentHere++;
        }
    }

    /** Notes that {@code o} went out on the current connection. */
    void markSent(Outflight o) {
        if (!o.sentHere) {
            o.sentHere = true;
            sentHere++;
        }
    }

    void remove(Outflight o) {
        if (!holds(o)) {
            return;
        }
        slots[index(o.seq)] = null;
        size--;
        if (o.sentHere) {
            sentHere--;
        }
        if (size == 0) {
            first = 0;
            end = 0;
            return;
        }
        while (slots[index(first)] == null) {
            first++;
        }
        while (slots[index(end - 1)] == null) {
            end--;
        }
    }

    boolean contains(long seq) {
        return size > 0 && seq >= first && seq < end && slots[index(seq)] != null;
    }

    @Nullable
    Outflight byPacketId(int packetId) {
        if (size == 0 || packetId < 1 || packetId > PACKET_IDS) {
            return null;
        }
        // the one position in [first, first + 65,535) whose packet id this is
        long seq = first - first % PACKET_IDS + (packetId - 1);
        if (seq < first) {
            seq += PACKET_IDS;
        }
        @Nullable Outflight o = seq < end ? slots[index(seq)] : null;
        return o != null && o.packetId == packetId ? o : null;
    }

    /** The message in flight at {@code seq}, or null. */
    @Nullable
    Outflight bySeq(long seq) {
        return contains(seq) ? slots[index(seq)] : null;
    }

    /** True while {@code o} is still the message in flight at its position. */
    boolean holds(Outflight o) {
        return size > 0 && o.seq >= first && o.seq < end && slots[index(o.seq)] == o;
    }

    /**
     * The "PUBLISH sent" records of what went out on this connection and is not released, in order: written
     * when the connection goes, not per send, which would cost a store write per delivery. After a crash
     * the records of the last connection may be missing; the resends then carry DUP by position (ADR 1).
     * Positions in {@code uncommitted} (sent before their commit, ADR 18) get none: the record could reach
     * the disk before the entry, and a restart would then hold a position in flight that a new message
     * takes.
     */
    List<StoreCommand> sentRecords(String clientId, PositionSet uncommitted) {
        List<StoreCommand> records = new ArrayList<>();
        for (Outflight o : inOrder()) {
            if (!o.released && o.sentHere && !uncommitted.contains(o.seq)) {
                records.add(new StoreCommand.PutInflight(clientId, new InflightRecord(o.seq, o.packetId, false)));
            }
        }
        return records;
    }

    /** The messages in flight in queue order, as a copy that may be changed while walked. */
    List<Outflight> inOrder() {
        List<Outflight> out = new ArrayList<>(size);
        for (long s = first; s < end && size > 0; s++) {
            Outflight o = slots[index(s)];
            if (o != null) {
                out.add(o);
            }
        }
        return out;
    }

    boolean isEmpty() {
        return size == 0;
    }

    int size() {
        return size;
    }

    long oldestSeq() {
        assert size > 0 : "nothing in flight";
        return first;
    }

    int sentHere() {
        return sentHere;
    }

    /**
     * A new connection (or none): nothing has been sent on it yet; with {@code offline} the messages are
     * also let go, to be read again when resent, so an offline session holds no payloads (and no ring when
     * nothing is in flight).
     */
    void reset(boolean offline) {
        sentHere = 0;
        for (long s = first; s < end && size > 0; s++) {
            Outflight o = slots[index(s)];
            if (o != null) {
                o.sentHere = false;
                if (offline) {
                    o.message = null;
                }
            }
        }
        if (offline && size == 0) {
            slots = NONE;
        }
    }

    private int index(long seq) {
        return (int) (seq & (slots.length - 1));
    }

    /** Makes the ring cover {@code [from, to)}, which contains what it covers now. */
    private void cover(long from, long to) {
        long needed = to - from;
        assert needed <= PACKET_IDS + 1 : "in flight over more than 65,535 positions: " + needed;
        if (needed > slots.length) {
            int capacity = Math.max(16, slots.length);
            while (capacity < needed) {
                capacity <<= 1;
            }
            Outflight[] grown = new Outflight[capacity];
            for (long s = first; s < end && size > 0; s++) {
                grown[(int) (s & (capacity - 1))] = slots[index(s)];
            }
            slots = grown;
        }
        first = from;
        end = to;
    }
}
