package io.berth.broker.config;

import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Limits for the sessions whose client id matches a glob ({@code *} any characters, {@code ?} one), or
 * whose owner is a user name. The first matching rule wins.
 *
 * @param clientIdGlob client id pattern, or null
 * @param username user name, or null
 */
public record LimitRule(
        @Nullable String clientIdGlob, @Nullable String username, QueueLimits limits) {
    public LimitRule {
        Objects.requireNonNull(limits, "limits");
        if ((clientIdGlob == null) == (username == null)) {
            throw new IllegalArgumentException("a limit rule needs exactly one of client-id or username");
        }
    }

    boolean matches(String clientId, String user) {
        if (username != null) {
            return username.equals(user);
        }
        String glob = clientIdGlob;
        return glob != null && toRegex(glob).matcher(clientId).matches();
    }

    private static Pattern toRegex(String glob) {
        StringBuilder b = new StringBuilder();
        for (char c : glob.toCharArray()) {
            switch (c) {
                case '*' -> b.append(".*");
                case '?' -> b.append('.');
                default -> b.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(b.toString());
    }
}
