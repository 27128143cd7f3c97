package io.berth.dist;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.broker.config.BrokerConfig;
import io.berth.broker.config.ConfigFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code conf/berth.yml} of the distribution is the reference of the configuration file: it names every
 * key with its default, and its defaults are the broker's. A key added to the parser without a line in it
 * fails here.
 */
class ConfigReferenceTest {
    /** The parser of {@code berth.yml}: every class of this package reads keys or values of it. */
    static final Path CONFIG_SOURCES = Path.of("../berth-broker/src/main/java/io/berth/broker/config");

    static final Path REFERENCE = Path.of("src/dist/conf/berth.yml");

    /** {@code case "name" ->} or {@code case "a", "b" ->}: a name the parser accepts. */
    private static final Pattern CASE = Pattern.compile("case\\s+(\"[^\"]*\"(?:\\s*,\\s*\"[^\"]*\")*)\\s*->");

    private static final Pattern QUOTED = Pattern.compile("\"([^\"]*)\"");

    /** {@code #key: value} at any indentation: a default, commented out. */
    private static final Pattern DEFAULT_LINE = Pattern.compile("(?m)^(\\s*)#([a-z][a-z0-9-]*:.*)$");

    @TempDir
    Path dir;

    @Test
    void everyNameTheParserAccepts_isInTheReference() throws IOException {
        Set<String> names = namesInParser();
        String reference = Files.readString(REFERENCE);

        Set<String> missing = new TreeSet<>();
        for (String name : names) {
            Pattern word = Pattern.compile("(?<![A-Za-z0-9_-])" + Pattern.quote(name) + "(?![A-Za-z0-9_-])");
            if (!word.matcher(reference).find()) {
                missing.add(name);
            }
        }
        assertThat(names).as("keys read from %s", CONFIG_SOURCES).contains("port", "limits", "max-topic-levels");
        assertThat(missing)
                .as("keys and values the config parser accepts but " + REFERENCE + " does not document")
                .isEmpty();
    }

    @Test
    void referenceAsShipped_isTheDefaults() {
        assertThat(ConfigFile.read(REFERENCE)).isEqualTo(BrokerConfig.defaults());
    }

    @Test
    void everyDefaultLineUncommented_givesTheBuiltInDefaults() throws IOException {
        String reference = Files.readString(REFERENCE);
        Matcher m = DEFAULT_LINE.matcher(reference);
        assertThat(m.results().count()).as("lines '#key: default'").isGreaterThan(30);

        Path uncommented = dir.resolve("berth.yml");
        Files.writeString(uncommented, DEFAULT_LINE.matcher(reference).replaceAll("$1$2"));

        BrokerConfig read = ConfigFile.read(uncommented);
        assertThat(read).isEqualTo(BrokerConfig.defaults());
    }

    /** Every string of a {@code case} label in the config package: keys, and enumerated values. */
    static Set<String> namesInParser() throws IOException {
        Set<String> names = new TreeSet<>();
        try (Stream<Path> files = Files.list(CONFIG_SOURCES)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).collect(Collectors.toList())) {
                Matcher c = CASE.matcher(Files.readString(f));
                while (c.find()) {
                    Matcher q = QUOTED.matcher(c.group(1));
                    while (q.find()) {
                        names.add(q.group(1));
                    }
                }
            }
        }
        return names;
    }
}
