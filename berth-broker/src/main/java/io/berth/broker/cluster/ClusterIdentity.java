package io.berth.broker.cluster;

import io.berth.broker.config.ClusterConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The cluster a data folder belongs to, kept in {@code cluster.properties} in it: this node's id and the
 * member list it was created with. A node whose configuration disagrees with its folder stops before it
 * joins anything: another node id, another member list, or a folder of a single-node broker.
 *
 * <p>Threading: used once at start.
 */
public final class ClusterIdentity {
    static final String FILE = "cluster.properties";

    private ClusterIdentity() {}

    /**
     * Checks {@code dataDir} against {@code cluster}, writing the identity at the first start.
     *
     * @throws IllegalStateException when they disagree; the message says what and where
     */
    static void check(Path dataDir, ClusterConfig cluster) {
        Path file = dataDir.resolve(FILE);
        String members = ClusterConfig.ids(cluster.members());
        try {
            if (!Files.exists(file)) {
                if (Files.isDirectory(dataDir) && hasStore(dataDir)) {
                    throw new IllegalStateException("data folder " + dataDir.toAbsolutePath()
                            + " holds the store of a single-node broker, not of a cluster node: give node "
                            + cluster.nodeId() + " an empty data folder (its sessions come from the cluster)");
                }
                Files.createDirectories(dataDir);
                Properties p = new Properties();
                p.setProperty("node-id", cluster.nodeId());
                p.setProperty("members", members);
                Path tmp = dataDir.resolve(FILE + ".tmp");
                try (OutputStream out = Files.newOutputStream(tmp)) {
                    p.store(out, "the cluster this data folder belongs to; do not edit");
                }
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
                return;
            }
            Properties p = new Properties();
            try (InputStream in = Files.newInputStream(file)) {
                p.load(in);
            }
            String storedNode = p.getProperty("node-id", "");
            String storedMembers = p.getProperty("members", "");
            if (!storedNode.equals(cluster.nodeId())) {
                throw new IllegalStateException("data folder " + dataDir.toAbsolutePath() + " belongs to node '"
                        + storedNode + "' (see " + file.toAbsolutePath() + "), but cluster.node-id is '"
                        + cluster.nodeId() + "': give each node its own data folder");
            }
            if (!storedMembers.equals(members)) {
                throw new IllegalStateException("cluster.members " + members + " disagrees with the members "
                        + storedMembers + " this data folder was created with (" + file.toAbsolutePath()
                        + "): every node must be given the same list, in the same order; changing the"
                        + " members of a running cluster is not supported yet");
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot use data folder " + dataDir.toAbsolutePath() + ": " + e, e);
        }
    }

    /** The Raft group of these members: the same on every node given the same list. */
    static UUID groupId(ClusterConfig cluster) {
        return UUID.nameUUIDFromBytes(
                ("berth-sessions " + ClusterConfig.ids(cluster.members())).getBytes(StandardCharsets.UTF_8));
    }

    /** True when the folder holds a single node's RocksDB store (its CURRENT file). */
    private static boolean hasStore(Path dataDir) throws IOException {
        try (Stream<Path> files = Files.list(dataDir)) {
            return files.anyMatch(f -> f.getFileName().toString().equals("CURRENT"));
        }
    }

    /**
     * Refuses to open a cluster node's data folder as a single node's, whose sessions would then diverge
     * from the cluster's. A single node calls this before it opens its store; it loads nothing of Ratis.
     *
     * @throws IllegalStateException when {@code dataDir} belongs to a cluster node
     */
    public static void refuseClusterFolder(Path dataDir) {
        if (Files.exists(dataDir.resolve(FILE))) {
            throw new IllegalStateException("data folder " + dataDir.toAbsolutePath() + " belongs to a cluster node"
                    + " (see " + dataDir.resolve(FILE).toAbsolutePath() + "): start it with its cluster section");
        }
    }
}
