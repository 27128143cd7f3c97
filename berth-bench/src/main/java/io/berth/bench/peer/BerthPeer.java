package io.berth.bench.peer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Berth from the berth-broker jar, as {@code berth serve} in a JVM of its own. */
public final class BerthPeer extends ProcessPeer {
    private final Path jar;
    private final String durability;
    private final List<String> jvmOptions;

    /**
     * @param jar the berth-broker jar (its lib/ folder beside it)
     * @param durability {@code fsync}, {@code os} or {@code memory}
     */
    public BerthPeer(Path jar, String durability, List<String> jvmOptions) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException("no Berth jar at " + jar + "; build it with mvn package first");
        }
        this.jar = jar;
        this.durability = durability;
        this.jvmOptions = List.copyOf(jvmOptions);
    }

    @Override
    public String name() {
        return "berth-" + durability;
    }

    @Override
    public String version() {
        return "Berth "
                + jar.getFileName().toString().replace("berth-broker-", "").replace(".jar", "");
    }

    @Override
    public String settings() {
        return "`berth serve --durability " + durability + " --admin-port -1`, defaults otherwise (max-inflight 64, "
                + "receive-maximum 1024, shards = cores); JVM " + String.join(" ", jvmOptions);
    }

    @Override
    public String acknowledgesFrom() {
        return switch (durability) {
            case "fsync" -> "disk: RocksDB WAL fsynced by group commit before PUBACK/PUBREC";
            case "os" -> "OS page cache: RocksDB WAL written, not synced (survives a process crash)";
            default -> "memory (survives nothing)";
        };
    }

    @Override
    public boolean isBerth() {
        return true;
    }

    @Override
    protected List<String> command(Path dataDir, int port) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // "{start}" in an option (e.g. a JFR file name) becomes this start's number: one file per start.
        jvmOptions.forEach(o -> cmd.add(o.replace("{start}", name() + "-" + starts())));
        cmd.addAll(List.of(
                "-jar",
                jar.toString(),
                "serve",
                "--port",
                Integer.toString(port),
                "--data",
                dataDir.toString(),
                "--durability",
                durability,
                "--admin-port",
                "-1"));
        return cmd;
    }

    @Override
    protected Pattern readyLine() {
        return Pattern.compile("Berth listening on ");
    }

    @Override
    public double selfReportedStartMillis() {
        java.util.regex.Matcher m = Pattern.compile("ready in (\\d+) ms").matcher(readyText());
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }

    @Override
    public long heapUsedAfterGc() throws Exception {
        return Probes.heapUsedAfterGc(pid());
    }
}
