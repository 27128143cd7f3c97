package io.berth.broker.admin;

import io.berth.broker.config.QueueLimits;
import io.berth.broker.session.NotConfirmedException;
import io.berth.broker.session.OwnerOutcome;
import io.berth.broker.session.Purge;
import io.berth.broker.session.QueuedView;
import io.berth.broker.session.SessionAdmin;
import io.berth.broker.session.SessionInfo;
import io.berth.broker.store.Subscription;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * {@code /sessions}, {@code /sessions/{id}}, {@code .../queue}, {@code .../purge},
 * {@code .../disconnect}: turns each request into a {@link SessionAdmin} call and its answer into JSON
 * (maps and lists that Jackson writes). Client ids in the path are percent-encoded.
 *
 * <p>Threading: the admin listener's request threads; it holds no mutable state.
 */
final class SessionResource {
    private static final long WAIT_SECONDS = 10;
    static final int DEFAULT_PEEK = 10;
    static final int MAX_PEEK = 1000;

    private final SessionAdmin admin;

    SessionResource(SessionAdmin admin) {
        this.admin = admin;
    }

    Object handle(String method, String rawPath, @Nullable String rawQuery, Supplier<byte[]> body) {
        List<String> parts = segments(rawPath);
        Map<String, String> params = query(rawQuery);
        if (parts.isEmpty() || !parts.get(0).equals("sessions") || parts.size() > 3) {
            throw AdminError.notFound("no such endpoint: " + rawPath
                    + " (try /sessions, /sessions/{id}, /sessions/{id}/queue, /metrics)");
        }
        if (parts.size() == 1) {
            AdminHttpHandler.requireMethod(method, "GET");
            return list(SessionQuery.parse(params));
        }
        String id = parts.get(1);
        if (parts.size() == 2) {
            return switch (method) {
                case "GET" -> noParams(params).session(id);
                case "DELETE" -> noParams(params).delete(id);
                default -> throw AdminError.methodNotAllowed(method, "GET, DELETE");
            };
        }
        switch (parts.get(2)) {
            case "queue" -> {
                AdminHttpHandler.requireMethod(method, "GET");
                return peek(id, params);
            }
            case "purge" -> {
                AdminHttpHandler.requireMethod(method, "POST");
                boolean dryRun = dryRun(params);
                Purge purge = PurgeBody.parse(body.get(), System.currentTimeMillis());
                return dryRun ? purgeCount(id, purge) : purge(id, purge);
            }
            case "disconnect" -> {
                AdminHttpHandler.requireMethod(method, "POST");
                return noParams(params).disconnect(id);
            }
            default -> throw AdminError.notFound("no such endpoint: " + rawPath);
        }
    }

    private SessionResource noParams(Map<String, String> params) {
        if (!params.isEmpty()) {
            throw AdminError.badRequest(
                    "unknown parameter '" + params.keySet().iterator().next() + "'");
        }
        return this;
    }

    private Map<String, Object> list(SessionQuery q) {
        SessionAdmin.Page page = await(admin.page(q::matches, q.comparator(), q.offset(), q.limit()));
        List<Map<String, Object>> rows = new ArrayList<>(page.sessions().size());
        page.sessions().forEach(s -> rows.add(summary(s)));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("total", page.total());
        out.put("matching", page.matching());
        out.put("offset", q.offset());
        out.put("sessions", rows);
        return out;
    }

    private Map<String, Object> session(String id) {
        SessionInfo s = await(admin.session(id)).orElseThrow(() -> unknown(id));
        Map<String, Object> out = summary(s);
        out.put("inboundQos2", s.inboundQos2());
        List<Map<String, Object>> subs = new ArrayList<>();
        for (Subscription sub : s.subscriptions()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("filter", sub.filter());
            m.put("qos", sub.qos().value());
            m.put("noLocal", sub.noLocal());
            m.put("retainAsPublished", sub.retainAsPublished());
            m.put("retainHandling", sub.retainHandling().name().toLowerCase(java.util.Locale.ROOT));
            m.put("subscriptionId", sub.subscriptionId());
            subs.add(m);
        }
        out.put("subscriptions", subs);
        out.put("will", s.willTopic() == null ? null : Map.of("topic", s.willTopic()));
        QueueLimits l = s.limits();
        Map<String, Object> limits = new LinkedHashMap<>();
        limits.put("maxQueuedMessages", l.maxMessages());
        limits.put("maxQueuedBytes", l.maxBytes());
        limits.put("maxMessageAgeSeconds", l.maxAgeSeconds());
        limits.put("overflow", l.overflow().optionName());
        limits.put("watermarkPercent", l.watermarkPercent());
        out.put("limits", limits);
        return out;
    }

    private static Map<String, Object> summary(SessionInfo s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("clientId", s.clientId());
        m.put("online", s.online());
        m.put("protocol", s.protocol());
        m.put("owner", s.owner());
        if (s.node() != null) {
            m.put("node", s.node()); // the cluster node that serves it
        }
        m.put(
                "lastSeen",
                s.online() || s.lastSeenMillis() == 0
                        ? null
                        : Instant.ofEpochMilli(s.lastSeenMillis()).toString());
        m.put("expiryIntervalSeconds", s.expiryIntervalSeconds());
        long expiresAt = SessionQuery.expiresAtMillis(s);
        m.put(
                "expiresAt",
                expiresAt == Long.MAX_VALUE
                        ? null
                        : Instant.ofEpochMilli(expiresAt).toString());
        m.put("queuedMessages", s.queuedMessages());
        m.put("queuedBytes", s.queuedBytes());
        m.put("inflight", s.inflight());
        return m;
    }

    private Map<String, Object> peek(String id, Map<String, String> params) {
        int limit = DEFAULT_PEEK;
        for (Map.Entry<String, String> p : params.entrySet()) {
            if (!p.getKey().equals("limit")) {
                throw AdminError.badRequest("unknown parameter '" + p.getKey() + "'; known: limit");
            }
            limit = (int) SessionQuery.number("limit", p.getValue(), 1, MAX_PEEK);
        }
        List<QueuedView> queued = await(admin.peek(id, limit)).orElseThrow(() -> unknown(id));
        List<Map<String, Object>> messages = new ArrayList<>(queued.size());
        for (QueuedView q : queued) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("seq", q.seq());
            m.put("topic", q.topic());
            m.put("qos", q.qos());
            m.put("retain", q.retain());
            m.put("arrived", Instant.ofEpochMilli(q.arrivalMillis()).toString());
            m.put("size", q.payload().length);
            String text = utf8(q.payload());
            m.put("encoding", text != null ? "utf-8" : "base64");
            m.put("payload", text != null ? text : Base64.getEncoder().encodeToString(q.payload()));
            messages.add(m);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("clientId", id);
        out.put("messages", messages);
        return out;
    }

    private Map<String, Object> purge(String id, Purge purge) {
        long removed = await(admin.purge(id, purge)).orElseThrow(() -> unknown(id));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("clientId", id);
        out.put("removed", removed);
        return out;
    }

    /** {@code dry-run=true}: count, remove nothing. The only parameter a purge takes. */
    private static boolean dryRun(Map<String, String> params) {
        for (Map.Entry<String, String> p : params.entrySet()) {
            if (!p.getKey().equals("dry-run")) {
                throw AdminError.badRequest("unknown parameter '" + p.getKey() + "'; known: dry-run");
            }
            if (!p.getValue().equals("true") && !p.getValue().equals("false")) {
                throw AdminError.badRequest("dry-run must be true or false, not '" + p.getValue() + "'");
            }
        }
        return "true".equals(params.get("dry-run"));
    }

    private Map<String, Object> purgeCount(String id, Purge purge) {
        long n = await(admin.purgeCount(id, purge)).orElseThrow(() -> unknown(id));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("clientId", id);
        out.put("wouldRemove", n);
        return out;
    }

    private Map<String, Object> delete(String id) {
        if (await(admin.delete(id)) == OwnerOutcome.NO_SESSION) {
            throw unknown(id);
        }
        return Map.of("clientId", id, "deleted", true);
    }

    private Map<String, Object> disconnect(String id) {
        return switch (await(admin.disconnect(id))) {
            case NO_SESSION -> throw unknown(id);
            case NO_CONNECTION -> throw new AdminError(409, "session '" + id + "' has no connection");
            case DONE -> Map.of("clientId", id, "disconnected", true);
        };
    }

    private static AdminError unknown(String id) {
        return AdminError.notFound("no session '" + id + "'");
    }

    private static <T> T await(CompletableFuture<T> f) {
        try {
            return f.get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AdminError(503, "the broker did not answer within " + WAIT_SECONDS + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AdminError(503, "interrupted");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            if (cause instanceof NotConfirmedException) {
                // the session's node was asked and did not answer: say so, never claim success
                throw new AdminError(503, String.valueOf(cause.getMessage()));
            }
            throw new IllegalStateException(cause.getMessage(), cause);
        }
    }

    /** The payload as text when it is valid UTF-8, otherwise null. */
    static @Nullable String utf8(byte[] payload) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(payload))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static List<String> segments(String rawPath) {
        List<String> out = new ArrayList<>();
        for (String s : rawPath.split("/")) {
            if (!s.isEmpty()) {
                out.add(decode(s));
            }
        }
        return out;
    }

    private static Map<String, String> query(@Nullable String rawQuery) {
        Map<String, String> out = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return out;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            if (out.put(key, value) != null) {
                throw AdminError.badRequest("parameter '" + key + "' given twice");
            }
        }
        return out;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw AdminError.badRequest("bad percent-encoding in '" + s + "'");
        }
    }
}
