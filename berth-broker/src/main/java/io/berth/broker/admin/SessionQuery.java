package io.berth.broker.admin;

import io.berth.broker.config.BrokerConfig;
import io.berth.broker.session.SessionInfo;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The filters and the order of {@code GET /sessions}: {@code state=online|offline}, {@code min-backlog},
 * {@code min-bytes}, {@code prefix} (of the client id), {@code sort=backlog|bytes|last-seen|expiry|client-id},
 * {@code order=asc|desc}, {@code limit} and {@code offset} (paging).
 *
 * @param online true for online only, false for offline only, null for both
 */
record SessionQuery(
        @Nullable Boolean online,
        long minBacklog,
        long minBytes,
        String prefix,
        Sort sort,
        boolean descending,
        int limit,
        int offset) {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 100_000;
    static final int MAX_OFFSET = 10_000_000;

    /** What the list can be sorted by; each with the order that puts the interesting sessions first. */
    enum Sort {
        BACKLOG(true),
        BYTES(true),
        LAST_SEEN(false),
        EXPIRY(false),
        CLIENT_ID(false);

        final boolean descendingByDefault;

        Sort(boolean descendingByDefault) {
            this.descendingByDefault = descendingByDefault;
        }

        static Sort parse(String text) {
            for (Sort s : values()) {
                if (s.name().toLowerCase(Locale.ROOT).replace('_', '-').equals(text)) {
                    return s;
                }
            }
            throw AdminError.badRequest(
                    "sort must be backlog, bytes, last-seen, expiry or client-id, not '" + text + "'");
        }
    }

    static SessionQuery parse(Map<String, String> params) {
        Boolean online = null;
        long minBacklog = 0;
        long minBytes = 0;
        String prefix = "";
        Sort sort = Sort.BACKLOG;
        String order = null;
        int limit = DEFAULT_LIMIT;
        int offset = 0;
        for (Map.Entry<String, String> p : params.entrySet()) {
            String v = p.getValue();
            switch (p.getKey()) {
                case "state" ->
                    online = switch (v) {
                        case "online" -> Boolean.TRUE;
                        case "offline" -> Boolean.FALSE;
                        case "all" -> null;
                        default -> throw AdminError.badRequest("state must be online, offline or all, not '" + v + "'");
                    };
                case "min-backlog" -> minBacklog = number("min-backlog", v, 0, Long.MAX_VALUE);
                case "min-bytes" -> minBytes = number("min-bytes", v, 0, Long.MAX_VALUE);
                case "prefix" -> prefix = v;
                case "sort" -> sort = Sort.parse(v);
                case "order" -> {
                    if (!v.equals("asc") && !v.equals("desc")) {
                        throw AdminError.badRequest("order must be asc or desc, not '" + v + "'");
                    }
                    order = v;
                }
                case "limit" -> limit = (int) number("limit", v, 1, MAX_LIMIT);
                case "offset" -> offset = (int) number("offset", v, 0, MAX_OFFSET);
                default ->
                    throw AdminError.badRequest("unknown parameter '" + p.getKey()
                            + "'; known: state, min-backlog, min-bytes, prefix, sort, order, limit, offset");
            }
        }
        boolean descending = order == null ? sort.descendingByDefault : order.equals("desc");
        return new SessionQuery(online, minBacklog, minBytes, prefix, sort, descending, limit, offset);
    }

    static long number(String name, String text, long min, long max) {
        long n;
        try {
            n = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw AdminError.badRequest(name + " must be a whole number, not '" + text + "'");
        }
        if (n < min || n > max) {
            throw AdminError.badRequest(name + " must be " + min + ".." + max + ", is " + n);
        }
        return n;
    }

    boolean matches(SessionInfo s) {
        return (online == null || s.online() == online)
                && s.queuedMessages() >= minBacklog
                && s.queuedBytes() >= minBytes
                && s.clientId().startsWith(prefix);
    }

    Comparator<SessionInfo> comparator() {
        Comparator<SessionInfo> c = switch (sort) {
            case BACKLOG -> Comparator.comparingLong(SessionInfo::queuedMessages);
            case BYTES -> Comparator.comparingLong(SessionInfo::queuedBytes);
            // online sessions are seen now
            case LAST_SEEN -> Comparator.comparingLong(s -> s.online() ? Long.MAX_VALUE : s.lastSeenMillis());
            case EXPIRY -> Comparator.comparingLong(SessionQuery::expiresAtMillis);
            case CLIENT_ID -> Comparator.comparing(SessionInfo::clientId);
        };
        c = descending ? c.reversed() : c;
        return c.thenComparing(SessionInfo::clientId);
    }

    /** When an offline session expires; {@link Long#MAX_VALUE} when online or never. */
    static long expiresAtMillis(SessionInfo s) {
        if (s.online() || s.expiryIntervalSeconds() >= BrokerConfig.NEVER) {
            return Long.MAX_VALUE;
        }
        return s.lastSeenMillis() + s.expiryIntervalSeconds() * 1000;
    }
}
