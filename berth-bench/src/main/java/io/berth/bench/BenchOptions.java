package io.berth.bench;

import io.berth.bench.scenario.Scenario;
import io.berth.bench.scenario.Settings;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The command line of berth-bench: every option with what it means and its default, parsed by
 * {@link #parse} and printed by {@link #usage}. Options are {@code --name value}; a later one wins over an
 * earlier one of the same name (the {@code run} script puts its own after the caller's).
 *
 * <p>Threading: immutable.
 */
final class BenchOptions {
    /**
     * One option.
     *
     * @param name without the dashes
     * @param value what its value looks like, for the usage text
     * @param meaning one line
     * @param fixedDefault the default when it does not depend on {@code --size}, else null
     * @param sized the default read from the {@link Settings} of the chosen size, else null
     */
    record Option(
            String name,
            String value,
            String meaning,
            @Nullable String fixedDefault,
            @Nullable Function<Settings, Object> sized) {
        static Option fixed(String name, String value, String meaning, @Nullable String fixedDefault) {
            return new Option(name, value, meaning, fixedDefault, null);
        }

        static Option sized(String name, String meaning, Function<Settings, Object> sized) {
            return new Option(name, "N", meaning, null, sized);
        }

        @Nullable
        String defaultText() {
            Function<Settings, Object> sized = this.sized;
            if (sized == null) {
                return fixedDefault;
            }
            return sized.apply(Settings.standard()) + " (smoke: " + sized.apply(Settings.smoke()) + ")";
        }
    }

    static final List<Option> ALL = List.of(
            Option.fixed("peers", "a,b,...", "brokers to compare, in this order (see Peers)", BenchMain.DEFAULT_PEERS),
            Option.fixed("scenarios", "a,b,...|all", "scenarios to run, each on every peer (see Scenarios)", "all"),
            Option.fixed(
                    "size", "standard|smoke", "sizes of every scenario: standard, or smoke (seconds each)", "standard"),
            Option.fixed("mqtt", "3|5", "protocol of the load generator's clients (3.1.1 or 5.0)", "3"),
            Option.fixed(
                    "out", "FILE", "the markdown report to write; charts go to bench/ beside it", "docs/benchmarks.md"),
            Option.fixed("repo", "DIR", "the Berth checkout whose built jars are run", "."),
            Option.fixed("work", "DIR", "data folders and broker logs", "a new folder in /tmp"),
            Option.sized("publishers", "publishers of the online scenarios", Settings::publishers),
            Option.sized("window", "unacknowledged publishes per publisher", Settings::window),
            Option.sized("payload", "payload bytes of every message", Settings::payload),
            Option.fixed(
                    "publisher-writes",
                    "each|batched",
                    "how a windowed publisher sends what the acknowledgements of one read let go: each publish"
                            + " to the socket at once, one write per message (as a device's client does), or"
                            + " batched, one write when the read ends (as an event-driven client does); paced"
                            + " publishers write once per millisecond tick either way",
                    "each"),
            Option.sized(
                    "online-messages", "messages of an online scenario, over all publishers", Settings::onlineMessages),
            Option.sized("paced-seconds", "length of online-qos1-paced", Settings::pacedSeconds),
            Option.fixed(
                    "paced-percent",
                    "N",
                    "online-qos1-paced's rate in % of the peer's own maximum (1-100; at 25 a broker twice as fast"
                            + " as another is paced at the other's 50 %, the same offered load)",
                    "50"),
            Option.sized("offline-sessions", "offline sessions of offline-fill-drain", Settings::offlineSessions),
            Option.sized("offline-messages", "messages queued over all of them", Settings::offlineMessages),
            Option.sized(
                    "restart-sessions",
                    "offline sessions of restart-clean and restart-kill",
                    Settings::restartSessions),
            Option.sized(
                    "restart-messages",
                    "messages queued over all of them before the restart",
                    Settings::restartMessages),
            Option.sized("idle-sessions", "sessions of idle-sessions", Settings::idleSessions),
            Option.sized("fanout-subscribers", "persistent subscribers of fan-out", Settings::fanoutSubscribers),
            Option.sized("fanout-messages", "messages published to all of them", Settings::fanoutMessages),
            Option.sized(
                    "warmup-messages",
                    "messages of the warm-up each throughput/latency scenario runs first on the same broker, with"
                            + " the same load shape on topics and clients of its own, in two rounds (each connects,"
                            + " loads and disconnects clients of its own), checked and then discarded;"
                            + " fan-out counts them as deliveries; bounded by --limit-seconds; 0: none (cold)",
                    Settings::warmupMessages),
            Option.sized(
                    "limit-seconds",
                    "time limit of each phase (warm-up, measured) of one scenario on one peer",
                    s -> s.limit().toSeconds()),
            Option.fixed("berth-jvm", "'OPTS'", "extra JVM options for Berth (e.g. JFR), space-separated", "none"),
            Option.fixed("extra", "FILE", "a markdown file appended to the report (profiles, microbenchmarks)", "none"),
            Option.fixed("command", "TEXT", "the command line the report says produced it", "this one"));

    private BenchOptions() {}

    /** True when the arguments ask for the usage text. */
    static boolean wantsHelp(String[] args) {
        return List.of(args).stream().anyMatch(a -> a.equals("--help") || a.equals("-h"));
    }

    /** {@code --name value} pairs; an unknown name or a missing value is an error that says what is known. */
    static Map<String, String> parse(String[] args) {
        Map<String, String> o = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("expected --option value, got '" + a + "' (see --help)");
            }
            String name = a.substring(2);
            if (ALL.stream().noneMatch(opt -> opt.name().equals(name))) {
                throw new IllegalArgumentException("unknown option '" + a + "'; known: "
                        + ALL.stream().map(opt -> "--" + opt.name()).collect(Collectors.joining(", "))
                        + " (see --help)");
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("option '" + a + "' needs a value (see --help)");
            }
            o.put(name, args[++i]);
        }
        return o;
    }

    /** What berth-bench does, its scenarios, its peers and its options with their defaults. */
    static void usage(PrintStream out, List<Scenario> scenarios, Map<String, String> peers) {
        out.println("Usage: java -jar berth-bench.jar [--option value]...   (or berth-bench/run [--option value]...)");
        out.println();
        out.println("Starts each peer, runs each scenario on it (a fresh broker and data folder every time) and");
        out.println("writes a markdown report with charts. Every message is checked: lost, duplicated, out of order.");
        out.println("Brokers are compared warm, as they run in production: each throughput/latency scenario first");
        out.println("runs a warm-up (--warmup-messages) on the same broker process, then measures rate, latency and");
        out.println("broker CPU over its measured phase only. restart-clean, restart-kill and idle-sessions run cold:");
        out.println("a restart starts a new process, and idle-sessions measures memory from a fresh broker.");
        out.println();
        out.println("Scenarios (--scenarios):");
        for (Scenario s : scenarios) {
            row(out, s.name(), s.description());
        }
        out.println();
        out.println("Peers (--peers):");
        peers.forEach((name, what) -> row(out, name, what));
        out.println();
        out.println("Options (defaults in brackets; N: a whole number, '_' allowed as in 200_000):");
        for (Option o : ALL) {
            row(out, "--" + o.name() + " " + o.value(), o.meaning() + " [" + o.defaultText() + "]");
        }
        out.println();
        out.println("Example: --peers berth-fsync,mosquitto --scenarios online-qos1 --size smoke --out /tmp/b.md");
    }

    /** Width of the usage text; the right column wraps at it. */
    private static final int WIDTH = 110;

    private static final int LEFT = 34;

    private static void row(PrintStream out, String left, String right) {
        StringBuilder line = new StringBuilder(String.format("  %-" + LEFT + "s", left));
        for (String word : right.split(" ")) {
            if (line.length() + 1 + word.length() > WIDTH && line.length() > LEFT + 3) {
                out.println(line);
                line = new StringBuilder(" ".repeat(LEFT + 2));
            }
            line.append(' ').append(word);
        }
        out.println(line);
    }
}
