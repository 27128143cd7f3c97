package io.berth.broker.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every metric the broker reports. The queued-message and queued-byte totals here are also what the
 * broker-wide budget is checked against.
 *
 * <p>Threading: any thread.
 */
public final class BrokerMetrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final AtomicLong connections = new AtomicLong();
    private final AtomicLong sessionsOnline = new AtomicLong();
    private final AtomicLong sessions = new AtomicLong();
    private final AtomicLong queuedMessages = new AtomicLong();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicLong recoveryMillis = new AtomicLong();
    private final Map<String, Counter> drops = new ConcurrentHashMap<>();
    private final Map<String, Counter> watermarks = new ConcurrentHashMap<>();
    private final Map<String, Counter> securityCounters = new ConcurrentHashMap<>();
    private final Counter delivered;
    private final Counter redelivered;
    private final Counter received;
    private final DistributionSummary commitBatch;
    private final Timer commitLatency;
    private final RecentEvents events = new RecentEvents();

    public BrokerMetrics() {
        Gauge.builder("berth_connections", connections, AtomicLong::get)
                .description("open MQTT connections")
                .register(registry);
        Gauge.builder("berth_sessions_online", sessionsOnline, AtomicLong::get)
                .description("sessions with a connection")
                .register(registry);
        Gauge.builder("berth_sessions_offline", this, m -> m.sessions.get() - m.sessionsOnline.get())
                .description("sessions without a connection")
                .register(registry);
        Gauge.builder("berth_queued_messages", queuedMessages, AtomicLong::get)
                .description("messages queued for all sessions, in flight included")
                .register(registry);
        Gauge.builder("berth_queued_bytes", queuedBytes, AtomicLong::get)
                .description("payload and topic bytes queued for all sessions")
                .register(registry);
        Gauge.builder("berth_recovery_seconds", recoveryMillis, v -> v.get() / 1000.0)
                .description("time from start until connections were accepted")
                .register(registry);
        delivered = Counter.builder("berth_delivered_messages_total")
                .description("PUBLISH packets sent to subscribers")
                .register(registry);
        redelivered = Counter.builder("berth_redelivered_messages_total")
                .description("PUBLISH packets resent with DUP")
                .register(registry);
        received = Counter.builder("berth_received_messages_total")
                .description("PUBLISH packets received from clients")
                .register(registry);
        commitBatch = DistributionSummary.builder("berth_commit_batch_commands")
                .description("commands per group commit")
                .publishPercentileHistogram()
                .register(registry);
        commitLatency = Timer.builder("berth_commit_seconds")
                .description("time to write and sync one group commit")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(1))
                .register(registry);
    }

    public void connectionOpened() {
        connections.incrementAndGet();
    }

    public void connectionClosed() {
        connections.decrementAndGet();
    }

    public void sessionCreated() {
        sessions.incrementAndGet();
    }

    public void sessionEnded() {
        sessions.decrementAndGet();
    }

    public void sessionOnline() {
        sessionsOnline.incrementAndGet();
    }

    public void sessionOffline() {
        sessionsOnline.decrementAndGet();
    }

    /** Messages joined queues (negative: left them, acknowledged, expired, dropped or purged). */
    public void queued(long messages, long bytes) {
        queuedMessages.addAndGet(messages);
        queuedBytes.addAndGet(bytes);
    }

    public long queuedBytes() {
        return queuedBytes.get();
    }

    public long queuedMessages() {
        return queuedMessages.get();
    }

    /** A message dropped for a session, by reason (queue-full, budget, max-age, expired, too-large, ...). */
    public void dropped(String reason) {
        dropped(reason, 1);
    }

    /** {@code n} messages dropped for one reason. */
    public void dropped(String reason, long n) {
        drops.computeIfAbsent(
                        reason,
                        r -> Counter.builder("berth_dropped_messages_total")
                                .description("messages dropped for a session")
                                .tag("reason", r)
                                .register(registry))
                .increment(n);
        events.dropped(reason, n, System.currentTimeMillis());
    }

    /** The last watermark crossings and drops, for the console. */
    public RecentEvents events() {
        return events;
    }

    /**
     * The numbers the console charts, read at one moment.
     *
     * @param received PUBLISH packets received since start
     * @param delivered PUBLISH packets sent since start
     * @param drops messages dropped since start, by reason
     * @param commits group commits since start
     * @param commitSeconds their total time
     */
    public record Snapshot(
            long atMillis,
            long connections,
            long sessionsOnline,
            long sessionsOffline,
            long queuedMessages,
            long queuedBytes,
            double received,
            double delivered,
            Map<String, Double> drops,
            long commits,
            double commitSeconds) {}

    public Snapshot snapshot(long nowMillis) {
        Map<String, Double> d = new java.util.TreeMap<>();
        drops.forEach((reason, c) -> d.put(reason, c.count()));
        long online = sessionsOnline.get();
        return new Snapshot(
                nowMillis,
                connections.get(),
                online,
                sessions.get() - online,
                queuedMessages.get(),
                queuedBytes.get(),
                received.count(),
                delivered.count(),
                d,
                commitLatency.count(),
                commitLatency.totalTime(TimeUnit.SECONDS));
    }

    public double droppedCount(String reason) {
        Counter c = drops.get(reason);
        return c == null ? 0 : c.count();
    }

    /** A queue crossed its watermark: {@code state} is "high" or "drained". */
    public void watermark(String state) {
        watermarks
                .computeIfAbsent(
                        state,
                        s -> Counter.builder("berth_queue_watermark_events_total")
                                .description("queue watermark crossings")
                                .tag("state", s)
                                .register(registry))
                .increment();
    }

    public void delivered() {
        delivered.increment();
    }

    public void redelivered() {
        redelivered.increment();
    }

    public void received() {
        received.increment();
    }

    public void commit(int commands, long nanos) {
        commitBatch.record(commands);
        commitLatency.record(nanos, TimeUnit.NANOSECONDS);
    }

    public void recoveryMillis(long millis) {
        recoveryMillis.set(millis);
    }

    /** An abuse limit was hit: connections or connect rate per address, client id length, ... */
    public void limitHit(String limit) {
        security("berth_limit_hits_total", "abuse limits that refused something", "limit", limit);
    }

    /** A changed file (password file, ACL, certificate) could not be read; the previous one stays in force. */
    public void reloadFailed(String file) {
        security("berth_reload_failures_total", "changed files that could not be used", "file", file);
    }

    /** A login was refused: anonymous, unknown-user, wrong-password, ... */
    public void authFailed(String reason) {
        security("berth_auth_failures_total", "refused logins", "reason", reason);
    }

    /** The ACL denied a right: publish, subscribe, receive or will. */
    public void aclDenied(String right) {
        security("berth_acl_denied_total", "requests the ACL denied", "right", right);
    }

    /** The count of a security counter, for tests and the admin API. */
    public double securityCount(String name, String tag) {
        Counter c = securityCounters.get(name + "/" + tag);
        return c == null ? 0 : c.count();
    }

    private void security(String name, String description, String tagKey, String tag) {
        securityCounters
                .computeIfAbsent(
                        name + "/" + tag,
                        k -> Counter.builder(name)
                                .description(description)
                                .tag(tagKey, tag)
                                .register(registry))
                .increment();
    }

    /** The registry, for the meters of parts that only some brokers have (a cluster node's). */
    public io.micrometer.core.instrument.MeterRegistry registry() {
        return registry;
    }

    /** Everything in Prometheus text format. */
    public String scrape() {
        return registry.scrape();
    }
}
