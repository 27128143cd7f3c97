package io.berth.broker.admin;

import io.berth.broker.metrics.BrokerMetrics;
import io.berth.broker.metrics.RecentEvents;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * What the console's overview and event views read: {@code GET /overview} (the broker's numbers now and
 * every {@link #INTERVAL_SECONDS} s over the last {@link #HISTORY} samples, rates already computed) and
 * {@code GET /events?after=N} (watermark crossings and drops after sequence number N). The samples come
 * from {@link BrokerMetrics}, taken by a task on the admin event loop, so the charts have a history as
 * soon as the page opens.
 *
 * <p>Threading: samples are added on the admin event loop and read on the request pool; the history is
 * guarded by this object's monitor.
 */
final class ConsoleResource implements AutoCloseable {
    static final int INTERVAL_SECONDS = 2;
    /** Ten minutes of samples. */
    static final int HISTORY = 300;

    static final int MAX_EVENTS = 500;

    private final BrokerMetrics metrics;
    private final Deque<Map<String, Object>> history = new ArrayDeque<>();
    private final ScheduledFuture<?> sampler;
    private BrokerMetrics.Snapshot last;

    ConsoleResource(BrokerMetrics metrics, ScheduledExecutorService loop) {
        this.metrics = metrics;
        this.last = metrics.snapshot(System.currentTimeMillis());
        this.sampler = loop.scheduleAtFixedRate(this::sample, INTERVAL_SECONDS, INTERVAL_SECONDS, TimeUnit.SECONDS);
    }

    Object handle(String method, String rawPath, @Nullable String rawQuery) {
        AdminHttpHandler.requireMethod(method, "GET");
        if (rawPath.equals("/overview")) {
            if (rawQuery != null && !rawQuery.isEmpty()) {
                throw AdminError.badRequest("/overview takes no parameters");
            }
            return overview();
        }
        long after = 0;
        if (rawQuery != null && !rawQuery.isEmpty()) {
            if (!rawQuery.startsWith("after=") || rawQuery.indexOf('&') >= 0) {
                throw AdminError.badRequest("unknown parameter in '" + rawQuery + "'; known: after");
            }
            after = SessionQuery.number("after", rawQuery.substring(6), 0, Long.MAX_VALUE);
        }
        return events(after);
    }

    /** Takes one sample. Runs on the admin event loop. */
    void sample() {
        BrokerMetrics.Snapshot now = metrics.snapshot(System.currentTimeMillis());
        Map<String, Object> point = point(now, previous(now));
        synchronized (this) {
            history.addLast(point);
            while (history.size() > HISTORY) {
                history.removeFirst();
            }
        }
    }

    private synchronized BrokerMetrics.Snapshot previous(BrokerMetrics.Snapshot now) {
        BrokerMetrics.Snapshot p = last;
        last = now;
        return p;
    }

    private static Map<String, Object> point(BrokerMetrics.Snapshot now, BrokerMetrics.Snapshot before) {
        double seconds = Math.max(0.001, (now.atMillis() - before.atMillis()) / 1000.0);
        double drops = 0;
        for (Map.Entry<String, Double> d : now.drops().entrySet()) {
            drops += d.getValue() - before.drops().getOrDefault(d.getKey(), 0.0);
        }
        long commits = now.commits() - before.commits();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("at", Instant.ofEpochMilli(now.atMillis()).toString());
        m.put("connections", now.connections());
        m.put("sessionsOnline", now.sessionsOnline());
        m.put("sessionsOffline", now.sessionsOffline());
        m.put("queuedMessages", now.queuedMessages());
        m.put("queuedBytes", now.queuedBytes());
        m.put("inPerSecond", round((now.received() - before.received()) / seconds));
        m.put("outPerSecond", round((now.delivered() - before.delivered()) / seconds));
        m.put("dropsPerSecond", round(drops / seconds));
        m.put(
                "commitMillis",
                commits == 0 ? null : round((now.commitSeconds() - before.commitSeconds()) * 1000 / commits));
        return m;
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    private Map<String, Object> overview() {
        BrokerMetrics.Snapshot now = metrics.snapshot(System.currentTimeMillis());
        List<Map<String, Object>> points;
        BrokerMetrics.Snapshot before;
        synchronized (this) {
            points = new ArrayList<>(history);
            before = last;
        }
        Map<String, Object> current = point(now, before);
        current.put("receivedTotal", (long) now.received());
        current.put("deliveredTotal", (long) now.delivered());
        current.put("commitsTotal", now.commits());
        current.put("commitMillisMean", now.commits() == 0 ? null : round(now.commitSeconds() * 1000 / now.commits()));
        Map<String, Object> drops = new LinkedHashMap<>();
        now.drops().forEach((reason, n) -> drops.put(reason, n.longValue()));
        current.put("dropsByReason", drops);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("now", current);
        out.put("intervalSeconds", INTERVAL_SECONDS);
        out.put("history", points);
        return out;
    }

    private Map<String, Object> events(long after) {
        RecentEvents recent = metrics.events();
        List<Map<String, Object>> list = new ArrayList<>();
        for (RecentEvents.Event e : recent.after(after, MAX_EVENTS, System.currentTimeMillis())) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("seq", e.seq());
            m.put("at", Instant.ofEpochMilli(e.atMillis()).toString());
            m.putAll(e.fields());
            list.add(m);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("next", recent.nextSeq());
        out.put("events", list);
        return out;
    }

    @Override
    public void close() {
        sampler.cancel(false);
    }
}
