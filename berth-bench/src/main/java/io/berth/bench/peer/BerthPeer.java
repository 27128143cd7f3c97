package io.berth.bench.peer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Berth from the berth-broker jar, as {@code berth serve} in a JVM of its own. Like the {@code berth}
 * launcher, it starts with a class-data sharing archive of a broker start, recorded once per peer by the
 * checkout's {@code scripts/cds-archive.sh} (when that script exists) into the benchmark's work folder,
 * and with RocksDB's native library unpacked once into that folder ({@code berth-native}), not at every
 * start.
 */
public final class BerthPeer extends ProcessPeer {
    /** The queue limits of every run: far above any scenario's backlog, as the peers' are. */
    private static final String LIMITS_YAML = String.join(
            "\n",
            "limits:",
            "  queued-bytes-budget: 64GiB",
            "  default:",
            "    max-queued-messages: 100000000",
            "    max-queued-bytes: 32GiB",
            "max-connections-per-address: 0",
            "connect-rate-per-address: 0",
            "");

    private static final String LIMITS_SUMMARY =
            "max-queued-messages 100,000,000, max-queued-bytes 32 GiB; per-address "
                    + "connection limits off, since every load client comes from 127.0.0.1";

    private final Path jar;
    private final String durability;
    private final List<String> jvmOptions;
    private final Path cdsScript;
    /** The {@code cluster:} section of a cluster node (see {@link #clusterNode}), empty for a single node. */
    private final String clusterYaml;
    /** The node id of a cluster node, empty for a single node. */
    private final String nodeId;
    /** The peer whose class-data archive a cluster node uses, or null for its own. */
    private final @Nullable BerthPeer archiveOwner;

    private @Nullable Path archive;
    private boolean archiveTried;

    /**
     * @param jar the berth-broker jar (its lib/ folder beside it)
     * @param durability {@code fsync}, {@code os} or {@code memory}
     * @param cdsScript the script that records a class-data archive ({@code scripts/cds-archive.sh}); none
     *     is used when it does not exist
     */
    public BerthPeer(Path jar, String durability, List<String> jvmOptions, Path cdsScript) {
        this(jar, durability, jvmOptions, cdsScript, "", "", null);
    }

    private BerthPeer(
            Path jar,
            String durability,
            List<String> jvmOptions,
            Path cdsScript,
            String nodeId,
            String clusterYaml,
            @Nullable BerthPeer archiveOwner) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException("no Berth jar at " + jar + "; build it with mvn package first");
        }
        this.jar = jar;
        this.durability = durability;
        this.jvmOptions = List.copyOf(jvmOptions);
        this.cdsScript = cdsScript;
        this.nodeId = nodeId;
        this.clusterYaml = clusterYaml;
        this.archiveOwner = archiveOwner;
    }

    /**
     * A node of a cluster run like this peer (same jar, durability and JVM options, this peer's class-data
     * archive), named {@code <this name>-<nodeId>}, listening for MQTT on {@code port}.
     *
     * @param clusterYaml the node's {@code cluster:} section, appended to its {@code berth.yml}
     */
    BerthPeer clusterNode(String nodeId, String clusterYaml, int port) {
        BerthPeer node = new BerthPeer(jar, durability, jvmOptions, cdsScript, nodeId, clusterYaml, this);
        node.usePort(port);
        return node;
    }

    /** The durability this peer was started with: {@code fsync}, {@code os} or {@code memory}. */
    String durability() {
        return durability;
    }

    @Override
    public String name() {
        return "berth-" + durability + (nodeId.isEmpty() ? "" : "-" + nodeId);
    }

    @Override
    public String version() {
        return "Berth "
                + jar.getFileName().toString().replace("berth-broker-", "").replace(".jar", "");
    }

    @Override
    public String settings() {
        return "`berth serve --durability " + durability + " --admin-port -1 --config berth.yml` with queue limits "
                + "raised so it is not measured dropping messages (" + LIMITS_SUMMARY + "; like the peers' "
                + "unlimited queues), defaults otherwise (max-inflight 64, receive-maximum 1024, shards = cores); JVM "
                + String.join(" ", jvmOptions)
                + (Files.isRegularFile(cdsScript)
                        ? ", with the class-data archive of `scripts/cds-archive.sh` as `./berth` uses"
                        : ", no class-data archive (the checkout has no `scripts/cds-archive.sh`)")
                + ", RocksDB's native library unpacked once into the work folder as `./berth` keeps it";
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
        Path jsa = classDataArchive(
                java.util.Objects.requireNonNull(dataDir.toAbsolutePath().getParent()));
        if (jsa != null) {
            cmd.add("-XX:SharedArchiveFile=" + jsa);
            cmd.add("-Xshare:auto");
        }
        // as ./berth does: RocksDB's native library unpacked once (at the first start), not at every start
        Path natives = java.util.Objects.requireNonNull(dataDir.toAbsolutePath().getParent())
                .resolve("berth-native");
        cmd.add("-Djava.library.path=" + natives);
        cmd.add("-Dberth.native.dir=" + natives);
        Path config = dataDir.resolveSibling(dataDir.getFileName() + "-berth.yml");
        Files.writeString(config, LIMITS_YAML + clusterYaml);
        cmd.addAll(List.of(
                "-jar",
                jar.toString(),
                "serve",
                "--config",
                config.toString(),
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
    protected void environment(java.util.Map<String, String> env) {
        // as ./berth does: RocksDB's loader asks whether the C library is musl (running ldd) unless told
        env.put("ROCKSDB_MUSL_LIBC", Boolean.toString(org.rocksdb.util.Environment.isMuslLibc()));
    }

    /** The archive of this peer, recorded into {@code work} at its first start; null without one. */
    private @Nullable Path classDataArchive(Path work) throws IOException {
        BerthPeer owner = archiveOwner;
        if (owner != null) {
            return owner.classDataArchive(work);
        }
        if (!archiveTried) {
            archiveTried = true;
            if (Files.isRegularFile(cdsScript)) {
                Path jsa = work.resolve(name() + ".jsa");
                Process p = new ProcessBuilder("bash", cdsScript.toString(), jar.toString(), jsa.toString())
                        .redirectErrorStream(true)
                        .redirectOutput(work.resolve(name() + "-cds.log").toFile())
                        .start();
                try {
                    if (p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS) && p.exitValue() == 0) {
                        archive = jsa;
                    } else {
                        p.destroyForcibly();
                    }
                } catch (InterruptedException e) {
                    p.destroyForcibly();
                    Thread.currentThread().interrupt();
                }
            }
        }
        return archive;
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
