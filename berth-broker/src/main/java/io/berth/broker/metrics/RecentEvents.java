package io.berth.broker.metrics;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The last {@link #CAPACITY} operator events, for the console's event view: queue watermark crossings
 * as they happen, and dropped messages summed per reason into at most one event per reason and
 * {@link #DROP_WINDOW_MILLIS} (a full queue under load drops thousands a second). Each event has a
 * sequence number so that a reader asks only for what is new.
 *
 * <p>Threading: any thread. Drops are counted without a lock (shard threads); the list is guarded by
 * this object's monitor.
 */
public final class RecentEvents {
    static final int CAPACITY = 500;
    static final long DROP_WINDOW_MILLIS = 1000;

    /**
     * One event.
     *
     * @param kind {@code queue-watermark} or {@code dropped}
     * @param fields what the event says, JSON-ready
     */
    public record Event(long seq, long atMillis, String kind, Map<String, Object> fields) {}

    private final Deque<Event> events = new ArrayDeque<>();
    private final Map<String, LongAdder> pendingDrops = new ConcurrentHashMap<>();
    private long nextSeq = 1;
    private long dropsFlushedAt;

    /** A queue crossed its watermark; {@code fields} as published on {@code $SYS/berth/events/...}. */
    public void watermark(Map<String, Object> fields, long nowMillis) {
        flushDrops(nowMillis, true);
        synchronized (this) {
            append(nowMillis, "queue-watermark", new LinkedHashMap<>(fields));
        }
    }

    /** {@code n} messages were dropped for {@code reason}. */
    void dropped(String reason, long n, long nowMillis) {
        pendingDrops.computeIfAbsent(reason, r -> new LongAdder()).add(n);
        flushDrops(nowMillis, false);
    }

    /** Events after {@code seq} (0: all kept), oldest first, at most {@code max}. */
    public List<Event> after(long seq, int max, long nowMillis) {
        flushDrops(nowMillis, true);
        synchronized (this) {
            List<Event> out = new ArrayList<>();
            for (Event e : events) {
                if (e.seq() > seq && out.size() < max) {
                    out.add(e);
                }
            }
            return out;
        }
    }

    /** The sequence number the next event will have. */
    public synchronized long nextSeq() {
        return nextSeq;
    }

    private void flushDrops(long nowMillis, boolean force) {
        if (pendingDrops.isEmpty()) {
            return;
        }
        synchronized (this) {
            if (!force && nowMillis - dropsFlushedAt < DROP_WINDOW_MILLIS) {
                return;
            }
            dropsFlushedAt = nowMillis;
            for (Map.Entry<String, LongAdder> e : pendingDrops.entrySet()) {
                long n = e.getValue().sumThenReset();
                if (n > 0) {
                    Map<String, Object> fields = new LinkedHashMap<>();
                    fields.put("event", "dropped");
                    fields.put("reason", e.getKey());
                    fields.put("messages", n);
                    append(nowMillis, "dropped", fields);
                }
            }
        }
    }

    private void append(long nowMillis, String kind, Map<String, Object> fields) {
        events.addLast(new Event(nextSeq++, nowMillis, kind, fields));
        while (events.size() > CAPACITY) {
            events.removeFirst();
        }
    }
}
