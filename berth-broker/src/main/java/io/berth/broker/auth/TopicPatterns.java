package io.berth.broker.auth;

/**
 * Whether one topic filter contains another: every topic that {@code filter} matches is also matched by
 * {@code pattern}.
 *
 * <p>Threading: stateless.
 */
final class TopicPatterns {
    private TopicPatterns() {}

    static boolean contains(String pattern, String filter) {
        String[] p = pattern.split("/", -1);
        String[] f = filter.split("/", -1);
        // [MQTT-4.7.2-1] a wildcard in the first level does not match topics starting with '$'
        if (f[0].startsWith("$") && (p[0].equals("+") || p[0].equals("#"))) {
            return false;
        }
        for (int i = 0; i < p.length; i++) {
            if (p[i].equals("#")) {
                return true;
            }
            if (i >= f.length) {
                return false;
            }
            if (f[i].equals("#")) {
                return false;
            }
            if (p[i].equals("+")) {
                continue;
            }
            if (!p[i].equals(f[i])) {
                return false;
            }
        }
        return f.length == p.length;
    }
}
