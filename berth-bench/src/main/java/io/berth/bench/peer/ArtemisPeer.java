package io.berth.bench.peer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * ActiveMQ Artemis embedded, in a JVM of its own, from the berth-bench-artemis module's jar and lib/: the
 * durable reference, whose acknowledgement waits for an fsync as Berth's does.
 */
public final class ArtemisPeer extends ProcessPeer {
    private static final Pattern JOURNAL = Pattern.compile("journal (\\w+)");

    private final Path jar;
    private final List<String> jvmOptions;

    public ArtemisPeer(Path jar, List<String> jvmOptions) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException("no Artemis launcher jar at " + jar + "; build berth-bench-artemis");
        }
        this.jar = jar;
        this.jvmOptions = List.copyOf(jvmOptions);
    }

    @Override
    public String name() {
        return "artemis";
    }

    @Override
    public String version() {
        try (Stream<Path> libs = Files.list(jar.resolveSibling("lib"))) {
            return libs.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("artemis-server-"))
                    .map(n -> "ActiveMQ Artemis "
                            + n.replace("artemis-server-", "").replace(".jar", ""))
                    .findFirst()
                    .orElse("ActiveMQ Artemis");
        } catch (IOException e) {
            return "ActiveMQ Artemis";
        }
    }

    @Override
    public String settings() {
        Matcher m = JOURNAL.matcher(readyText());
        return "embedded, persistence on, " + (m.find() ? m.group(1) + " " : "") + "journal with "
                + "journal-sync-transactional, journal-sync-non-transactional and journal-datasync on (other journal "
                + "settings at their defaults), security off, disk usage limit off; JVM "
                + String.join(" ", jvmOptions);
    }

    @Override
    public String acknowledgesFrom() {
        return "disk: PUBACK/PUBREC after the journal write that holds the message was synced (Artemis stores a "
                + "QoS 1/2 message in a transaction and answers after its storage completes); a message that no "
                + "durable queue (persistent session) takes is not stored";
    }

    @Override
    public boolean isBerth() {
        return false;
    }

    @Override
    protected List<String> command(Path dataDir, int port) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of(
                "-cp",
                jar + ":" + jar.resolveSibling("lib") + "/*",
                "io.berth.bench.artemis.ArtemisMain",
                dataDir.toString(),
                Integer.toString(port)));
        return cmd;
    }

    @Override
    protected Pattern readyLine() {
        return Pattern.compile("Artemis listening on ");
    }

    @Override
    public long heapUsedAfterGc() throws Exception {
        return Probes.heapUsedAfterGc(pid());
    }
}
