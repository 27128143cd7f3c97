package io.berth.bench.peer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** HiveMQ CE embedded, in a JVM of its own, from the berth-bench-hivemq module's jar and lib/. */
public final class HiveMqPeer extends ProcessPeer {
    private final Path jar;
    private final List<String> jvmOptions;

    public HiveMqPeer(Path jar, List<String> jvmOptions) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException("no HiveMQ launcher jar at " + jar + "; build berth-bench-hivemq");
        }
        this.jar = jar;
        this.jvmOptions = List.copyOf(jvmOptions);
    }

    @Override
    public String name() {
        return "hivemq-ce";
    }

    @Override
    public String version() {
        try (Stream<Path> libs = Files.list(jar.resolveSibling("lib"))) {
            return libs.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("hivemq-community-edition-embedded-"))
                    .map(n -> "HiveMQ CE "
                            + n.replace("hivemq-community-edition-embedded-", "")
                                    .replace(".jar", ""))
                    .findFirst()
                    .orElse("HiveMQ CE");
        } catch (IOException e) {
            return "HiveMQ CE";
        }
    }

    @Override
    public String settings() {
        return "embedded, file persistence (its default), max-queue-size 100000000 per client, "
                + "server-receive-maximum 1024 (as Berth), outbound in-flight window at its default, allow-all "
                + "authenticator, "
                + "usage statistics off; JVM " + String.join(" ", jvmOptions);
    }

    @Override
    public String acknowledgesFrom() {
        return "memory; its file persistence (Xodus/RocksDB) is written asynchronously and not fsynced per "
                + "message";
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
                "io.berth.bench.hivemq.HiveMqMain",
                dataDir.toString(),
                Integer.toString(port)));
        return cmd;
    }

    @Override
    protected Pattern readyLine() {
        return Pattern.compile("HiveMQ listening on ");
    }

    @Override
    public long heapUsedAfterGc() throws Exception {
        return Probes.heapUsedAfterGc(pid());
    }
}
