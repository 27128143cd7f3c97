package io.berth.broker.auth;

import io.berth.codec.Topics;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Topic rights read from an ACL file. Everything not granted is denied. The file is made of sections;
 * each line of a section grants rights on a topic pattern:
 *
 * <pre>
 * # comment
 * everyone                      # every client, authenticated or not
 *   subscribe,receive public/#
 *   all clients/%c/#            # %c: the client id, %u: the username
 * user alice                    # clients authenticated as alice
 *   publish sensors/alice/#
 * client dashboard-1            # the client with this id
 *   subscribe,receive sensors/+/temperature
 * anonymous                     # clients without a username
 *   receive public/#
 * </pre>
 *
 * <p>A comment is a line starting with {@code #}, or words starting with {@code #} after a complete line.
 * Rights are {@code publish}, {@code subscribe} and {@code receive}, joined by commas, or {@code all}.
 * A pattern is an MQTT topic filter. Publishing and receiving need a pattern that matches the topic;
 * subscribing needs a pattern that contains the whole filter (a shared subscription's filter is checked
 * without its {@code $share/group/} prefix). A line with {@code %u} or {@code %c} does not apply when the
 * name is empty, starts with {@code $} or holds {@code +}, {@code #} or {@code /}.
 *
 * <p>A {@code deny} line takes its rights away whatever else grants them. {@code deny subscribe P} also
 * denies receiving the topics of {@code P}: a wider subscription such as {@code #} or {@code +/x} is
 * granted, but never delivers a message (live or retained) whose topic {@code P} matches.
 *
 * <p>No client may publish (nor retain, nor leave a will) to {@code $SYS/...} or {@code $share/...},
 * whatever the file says: those topics belong to the broker ({@link #isBrokerOnly}).
 *
 * <p>Threading: immutable.
 */
public final class Acl {
    private final List<Section> sections;

    private Acl(List<Section> sections) {
        this.sections = List.copyOf(sections);
    }

    /** Parses the lines of an ACL file; errors name {@code source} and the line. */
    public static Acl parse(List<String> lines, String source) {
        List<Section> sections = new ArrayList<>();
        Section current = null;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] words = line.split("\\s+");
            String first = words[0].toLowerCase(Locale.ROOT);
            try {
                switch (first) {
                    case "everyone", "anonymous" -> {
                        words = expect(words, 1, first);
                        current = new Section(first.equals("everyone") ? Kind.EVERYONE : Kind.ANONYMOUS, "");
                        sections.add(current);
                    }
                    case "user", "client" -> {
                        words = expect(words, 2, first + " NAME");
                        current = new Section(first.equals("user") ? Kind.USER : Kind.CLIENT, words[1]);
                        sections.add(current);
                    }
                    default -> {
                        if (current == null) {
                            throw new IllegalArgumentException(
                                    "a rule before any 'everyone', 'user', 'client' or " + "'anonymous' line");
                        }
                        boolean deny = first.equals("deny");
                        String[] rule = deny
                                ? Arrays.copyOfRange(expect(words, 3, "deny RIGHTS PATTERN"), 1, 3)
                                : expect(words, 2, "RIGHTS PATTERN, e.g. 'publish sensors/#'");
                        current.rules.add(rule(rule, deny));
                    }
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(source + ": line " + (i + 1) + ": " + e.getMessage());
            }
        }
        return new Acl(sections);
    }

    /** True when {@code user} (empty when anonymous) with {@code clientId} may publish to {@code topic}. */
    public boolean canPublish(String user, String clientId, String topic) {
        return !isBrokerOnly(topic) && allows(Right.PUBLISH, user, clientId, topic);
    }

    /**
     * True for the topics only the broker writes: {@code $SYS} (its events) and {@code $share} (not a
     * topic but the prefix of shared subscriptions), as Mosquitto's {@code acl__check_dollar}.
     */
    public static boolean isBrokerOnly(String topic) {
        return topic.equals("$SYS")
                || topic.startsWith("$SYS/")
                || topic.equals("$share")
                || topic.startsWith("$share/");
    }

    /** True when the client may receive messages published to {@code topic}. */
    public boolean canReceive(String user, String clientId, String topic) {
        return allows(Right.RECEIVE, user, clientId, topic);
    }

    /** True when the client may subscribe to {@code filter}. */
    public boolean canSubscribe(String user, String clientId, String filter) {
        String afterGroup = Topics.shareFilter(filter);
        return allows(Right.SUBSCRIBE, user, clientId, afterGroup != null ? afterGroup : filter);
    }

    /** No applicable deny rule matches, and an applicable allow rule does. */
    private boolean allows(Right right, String user, String clientId, String topicOrFilter) {
        return !matches(true, right, user, clientId, topicOrFilter)
                && matches(false, right, user, clientId, topicOrFilter);
    }

    private boolean matches(boolean deny, Right right, String user, String clientId, String topicOrFilter) {
        for (Section s : sections) {
            if (!s.appliesTo(user, clientId)) {
                continue;
            }
            for (Rule r : s.rules) {
                if (r.deny != deny || !r.covers(right)) {
                    continue;
                }
                String pattern = r.substitute(user, clientId);
                if (pattern == null) {
                    continue;
                }
                boolean ok = right == Right.SUBSCRIBE
                        ? TopicPatterns.contains(pattern, topicOrFilter)
                        : Topics.matches(pattern, topicOrFilter);
                if (ok) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The first {@code n} words; more are allowed only as a comment starting with '#'. */
    private static String[] expect(String[] words, int n, String form) {
        if (words.length < n || (words.length > n && !words[n].startsWith("#"))) {
            throw new IllegalArgumentException("expected " + form);
        }
        return Arrays.copyOf(words, n);
    }

    private static Rule rule(String[] words, boolean deny) {
        Set<Right> rights = EnumSet.noneOf(Right.class);
        for (String r : words[0].toLowerCase(Locale.ROOT).split(",")) {
            switch (r) {
                case "publish" -> rights.add(Right.PUBLISH);
                case "subscribe" -> rights.add(Right.SUBSCRIBE);
                case "receive" -> rights.add(Right.RECEIVE);
                case "all" -> rights.addAll(EnumSet.allOf(Right.class));
                default ->
                    throw new IllegalArgumentException(
                            "unknown right '" + r + "' (publish, subscribe, receive or all)");
            }
        }
        String pattern = words[1].strip();
        String probe = pattern.replace("%u", "u").replace("%c", "c");
        if (!Topics.isValidTopicFilter(probe) || Topics.isShared(probe)) {
            throw new IllegalArgumentException("'" + pattern + "' is not a valid topic pattern");
        }
        return new Rule(rights, pattern, deny);
    }

    private enum Kind {
        EVERYONE,
        ANONYMOUS,
        USER,
        CLIENT
    }

    private static final class Section {
        final Kind kind;
        final String name;
        final List<Rule> rules = new ArrayList<>();

        Section(Kind kind, String name) {
            this.kind = kind;
            this.name = name;
        }

        boolean appliesTo(String user, String clientId) {
            return switch (kind) {
                case EVERYONE -> true;
                case ANONYMOUS -> user.isEmpty();
                case USER -> !user.isEmpty() && user.equals(name);
                case CLIENT -> clientId.equals(name);
            };
        }
    }

    /** Rights on a pattern; a deny rule takes them away whatever else grants them. */
    private record Rule(Set<Right> rights, String pattern, boolean deny) {
        /** Whether the rule speaks of {@code right}: a denied subscribe also denies receive. */
        boolean covers(Right right) {
            return rights.contains(right) || deny && right == Right.RECEIVE && rights.contains(Right.SUBSCRIBE);
        }

        /** The pattern with %u and %c replaced; null when a name cannot be put in a topic safely. */
        @Nullable
        String substitute(String user, String clientId) {
            String p = pattern;
            if (p.contains("%u")) {
                if (!safe(user)) {
                    return null;
                }
                p = p.replace("%u", user);
            }
            if (p.contains("%c")) {
                if (!safe(clientId)) {
                    return null;
                }
                p = p.replace("%c", clientId);
            }
            return p;
        }

        private static boolean safe(String name) {
            // a leading '$' would reach the broker's topics ($SYS/...), which no wildcard rule may grant
            return !name.isEmpty()
                    && !name.startsWith("$")
                    && name.indexOf('+') < 0
                    && name.indexOf('#') < 0
                    && name.indexOf('/') < 0;
        }
    }
}
