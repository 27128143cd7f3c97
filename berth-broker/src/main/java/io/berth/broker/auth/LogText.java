package io.berth.broker.auth;

import org.jspecify.annotations.Nullable;

/**
 * Makes a client-chosen string (username, client id) safe for a log line: control characters (U+0000 to
 * U+001F, U+007F to U+009F, and the Unicode line and paragraph separators) are written as {@code \n},
 * {@code \r}, {@code \t} or {@code \}{@code uXXXX}, backslashes are doubled, and the text is cut at
 * {@link #MAX_CHARS} characters with a note of the full length. A name with a line break can thus never
 * forge a log line, and a 64 KiB name costs one short line.
 *
 * <p>Threading: stateless.
 */
public final class LogText {
    /** Longest part of a name that is logged. */
    public static final int MAX_CHARS = 128;

    private LogText() {}

    /** The loggable form of {@code s}; "null" for null. */
    public static String safe(@Nullable String s) {
        if (s == null) {
            return "null";
        }
        int n = Math.min(s.length(), MAX_CHARS);
        StringBuilder b = new StringBuilder(n + 16);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (isControl(c)) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        if (s.length() > MAX_CHARS) {
            b.append("...(").append(s.length()).append(" chars)");
        }
        return b.toString();
    }

    /** True for C0 and C1 control characters and the Unicode line and paragraph separators. */
    public static boolean isControl(char c) {
        return c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == '\u2028' || c == '\u2029';
    }
}
