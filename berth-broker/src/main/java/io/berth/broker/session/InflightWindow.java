package io.berth.broker.session;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * A session's outbound messages sent and not yet acknowledged, by queue position and by packet id, and
 * how many of them went out on the current connection (what the client's Receive Maximum counts).
 *
 * <p>Threading: owned by the session's shard.
 */
final class InflightWindow {
    /** Allocated with the first message in flight and let go with the last: an idle session holds none. */
    private NavigableMap<Long, Outflight> bySeq = Collections.emptyNavigableMap();

    private Map<Integer, Outflight> byPacketId = Map.of();
    private int sentHere;

    /** Adds (or replaces, for the same position) a message in flight. */
    void put(Outflight o) {
        if (bySeq.isEmpty()) {
            bySeq = new TreeMap<>();
            byPacketId = new HashMap<>();
        }
        Outflight previous = bySeq.put(o.seq, o);
        if (previous != null && previous.sentHere) {
            sentHere--;
        }
        byPacketId.put(o.packetId, o);
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
        if (bySeq.remove(o.seq, o)) {
            byPacketId.remove(o.packetId, o);
            if (o.sentHere) {
                sentHere--;
            }
            if (bySeq.isEmpty()) {
                bySeq = Collections.emptyNavigableMap();
                byPacketId = Map.of();
            }
        }
    }

    boolean contains(long seq) {
        return bySeq.containsKey(seq);
    }

    @Nullable
    Outflight byPacketId(int packetId) {
        return byPacketId.get(packetId);
    }

    /** True while {@code o} is still the message in flight at its position. */
    boolean holds(Outflight o) {
        return bySeq.get(o.seq) == o;
    }

    /** The messages in flight in queue order, as a copy that may be changed while walked. */
    List<Outflight> inOrder() {
        return new ArrayList<>(bySeq.values());
    }

    boolean isEmpty() {
        return bySeq.isEmpty();
    }

    int size() {
        return bySeq.size();
    }

    long oldestSeq() {
        return bySeq.firstKey();
    }

    int sentHere() {
        return sentHere;
    }

    /**
     * A new connection (or none): nothing has been sent on it yet; with {@code offline} the messages are
     * also let go, to be read again when resent, so an offline session holds no payloads.
     */
    void reset(boolean offline) {
        sentHere = 0;
        for (Outflight o : bySeq.values()) {
            o.sentHere = false;
            if (offline) {
                o.message = null;
            }
        }
    }
}
