package io.berth.codec;

import io.netty.buffer.ByteBufUtil;
import org.jspecify.annotations.Nullable;

/**
 * Topic names and topic filters (section 4.7 of MQTT 5.0, 4.7 of 3.1.1), including shared subscriptions
 * {@code $share/{group}/{filter}} (section 4.8.2). No state; every method is safe on any thread.
 */
public final class Topics {
    /** The longest topic name or filter in UTF-8 bytes (a UTF-8 string's length prefix). */
    public static final int MAX_TOPIC_BYTES = 65_535;

    /** The prefix of a shared subscription's topic filter. */
    public static final String SHARE_PREFIX = "$share/";

    private Topics() {}

    /**
     * True for a topic name a PUBLISH may carry: at least one character [MQTT-4.7.3-1], no wildcards
     * [MQTT-4.7.1-1], no U+0000 [MQTT-4.7.3-2], at most 65535 UTF-8 bytes.
     */
    public static boolean isValidTopicName(String topic) {
        if (topic == null || topic.isEmpty()) {
            return false;
        }
        for (int i = 0; i < topic.length(); i++) {
            char c = topic.charAt(i);
            if (c == '+' || c == '#' || c == 0) {
                return false;
            }
        }
        return fitsLength(topic);
    }

    /**
     * True for a topic filter a SUBSCRIBE may carry: at least one character, '#' only as the whole last
     * level, '+' only as a whole level [MQTT-4.7.1-2] [MQTT-4.7.1-3], no U+0000, at most 65535 UTF-8 bytes;
     * a shared filter needs a non-empty group without '+', '#' or '/' and a valid non-empty filter after it
     * [MQTT-4.8.2-1] [MQTT-4.8.2-2].
     */
    public static boolean isValidTopicFilter(String filter) {
        if (filter == null || filter.isEmpty() || !fitsLength(filter)) {
            return false;
        }
        if (!isShared(filter)) {
            return isValidPlainFilter(filter);
        }
        int slash = filter.indexOf('/', SHARE_PREFIX.length());
        if (slash < 0 || slash == SHARE_PREFIX.length()) {
            return false;
        }
        for (int i = SHARE_PREFIX.length(); i < slash; i++) {
            char c = filter.charAt(i);
            if (c == '+' || c == '#') {
                return false;
            }
        }
        return slash + 1 < filter.length() && isValidPlainFilter(filter.substring(slash + 1));
    }

    /** True when {@code filter} starts with {@code $share/}; whether it is valid is another question. */
    public static boolean isShared(String filter) {
        return filter.startsWith(SHARE_PREFIX);
    }

    /** The share group of a shared filter, or null when the filter is not shared. */
    public static @Nullable String shareGroup(String filter) {
        if (!isShared(filter)) {
            return null;
        }
        int slash = filter.indexOf('/', SHARE_PREFIX.length());
        return slash < 0 ? filter.substring(SHARE_PREFIX.length()) : filter.substring(SHARE_PREFIX.length(), slash);
    }

    /** The filter after the share group of a shared filter, or null when the filter is not shared. */
    public static @Nullable String shareFilter(String filter) {
        return isShared(filter) ? afterShareGroup(filter) : null;
    }

    private static String afterShareGroup(String sharedFilter) {
        int slash = sharedFilter.indexOf('/', SHARE_PREFIX.length());
        return slash < 0 ? "" : sharedFilter.substring(slash + 1);
    }

    /**
     * True when the topic name matches the (valid) filter. A shared filter matches as the filter after its
     * group. A filter starting with a wildcard does not match a topic starting with '$' [MQTT-4.7.2-1].
     */
    public static boolean matches(String filter, String topic) {
        String f = isShared(filter) ? afterShareGroup(filter) : filter;
        if (f.isEmpty() || topic.isEmpty()) {
            return false;
        }
        if (topic.charAt(0) == '$' && (f.charAt(0) == '+' || f.charAt(0) == '#')) {
            return false;
        }
        int fi = 0;
        int ti = 0;
        while (true) {
            int fe = levelEnd(f, fi);
            int te = levelEnd(topic, ti);
            boolean multiLevel = fe - fi == 1 && f.charAt(fi) == '#';
            if (multiLevel) {
                return true;
            }
            boolean singleLevel = fe - fi == 1 && f.charAt(fi) == '+';
            if (!singleLevel && (fe - fi != te - ti || !f.regionMatches(fi, topic, ti, fe - fi))) {
                return false;
            }
            boolean filterDone = fe == f.length();
            boolean topicDone = te == topic.length();
            if (filterDone || topicDone) {
                // "a/#" also matches "a": the multi-level wildcard includes the parent level.
                return filterDone == topicDone || (topicDone && f.length() - fe == 2 && f.endsWith("/#"));
            }
            fi = fe + 1;
            ti = te + 1;
        }
    }

    private static int levelEnd(String s, int from) {
        int slash = s.indexOf('/', from);
        return slash < 0 ? s.length() : slash;
    }

    private static boolean isValidPlainFilter(String filter) {
        int start = 0;
        while (true) {
            int end = levelEnd(filter, start);
            for (int i = start; i < end; i++) {
                char c = filter.charAt(i);
                if (c == 0) {
                    return false;
                }
                if ((c == '+' || c == '#') && end - start != 1) {
                    return false;
                }
                if (c == '#' && end != filter.length()) {
                    return false;
                }
            }
            if (end == filter.length()) {
                return true;
            }
            start = end + 1;
        }
    }

    private static boolean fitsLength(String s) {
        return s.length() <= MAX_TOPIC_BYTES / 3 || ByteBufUtil.utf8Bytes(s) <= MAX_TOPIC_BYTES;
    }
}
