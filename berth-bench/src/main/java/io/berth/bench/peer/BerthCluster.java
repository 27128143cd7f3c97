package io.berth.bench.peer;

import io.berth.broker.config.ClusterConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The nodes of a Berth cluster on 127.0.0.1, run like a Berth peer: for a {@link BerthPeer} one process
 * per node (its jar, durability and JVM options, a {@code cluster:} section in each node's
 * {@code berth.yml}: {@code node-id}, {@code bind}, {@code members}), for an {@link EmbeddedBerthPeer}
 * nodes in this JVM. MQTT and Raft ports are free ports, all different; node {@code i}'s data folder is
 * {@code <folder>-n<i>} beside the folder given.
 *
 * <p>Threading: the benchmark's main thread.
 */
public final class BerthCluster implements AutoCloseable {
    private final List<Peer> nodes;

    private BerthCluster(List<Peer> nodes) {
        this.nodes = List.copyOf(nodes);
    }

    /** Why {@code peer} cannot run as a cluster, or null when it can. */
    public static @Nullable String unsupported(Peer peer) {
        if (peer instanceof BerthPeer b) {
            return b.durability().equals("memory")
                    ? "a cluster node refuses durability memory (nothing to replicate)"
                    : null;
        }
        if (peer instanceof EmbeddedBerthPeer) {
            return null;
        }
        return "not Berth: no cluster";
    }

    /**
     * Starts {@code size} nodes like {@code peer}, one after the other (the group elects its leader once
     * two are up), and returns once each accepts MQTT connections. Stops those started when one fails.
     */
    public static BerthCluster start(Peer peer, Path folder, int size) throws Exception {
        String why = unsupported(peer);
        if (why != null) {
            throw new IllegalArgumentException(peer.name() + ": " + why);
        }
        Set<Integer> taken = new HashSet<>();
        List<ClusterConfig.Member> members = new ArrayList<>();
        List<Integer> mqttPorts = new ArrayList<>();
        for (int i = 1; i <= size; i++) {
            members.add(new ClusterConfig.Member("n" + i, new ClusterConfig.Address("127.0.0.1", distinct(taken))));
            mqttPorts.add(distinct(taken));
        }
        List<Peer> nodes = new ArrayList<>();
        try {
            for (int i = 0; i < size; i++) {
                ClusterConfig.Member m = members.get(i);
                Peer node = peer instanceof BerthPeer b
                        ? b.clusterNode(m.id(), yaml(m, members), mqttPorts.get(i))
                        : ((EmbeddedBerthPeer) peer).clusterNode(new ClusterConfig(m.id(), m.address(), members));
                nodes.add(node);
                node.start(folder.resolveSibling(folder.getFileName() + "-" + m.id()));
            }
        } catch (Exception e) {
            new BerthCluster(nodes).close();
            throw e;
        }
        return new BerthCluster(nodes);
    }

    /** The {@code cluster:} section of node {@code self}, as an operator writes it. */
    static String yaml(ClusterConfig.Member self, List<ClusterConfig.Member> members) {
        return "cluster:\n"
                + "  node-id: " + self.id() + "\n"
                + "  bind: " + self.address() + "\n"
                + "  members: " + ClusterConfig.ids(members) + "\n";
    }

    private static int distinct(Set<Integer> taken) throws IOException {
        int port = ProcessPeer.freePort();
        while (!taken.add(port)) { // the system may hand out a port it just handed out
            port = ProcessPeer.freePort();
        }
        return port;
    }

    /** The nodes, {@code n1} first. */
    public List<Peer> nodes() {
        return nodes;
    }

    /** CPU time (user + system) each node's process used so far, in seconds; NaN for nodes in this JVM. */
    public double[] cpuSeconds() {
        double[] s = new double[nodes.size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = Probes.cpuSeconds(nodes.get(i).pid());
        }
        return s;
    }

    /** Stops every node (SIGTERM, or an orderly close in this JVM), the last one first. */
    @Override
    public void close() throws Exception {
        @Nullable Exception first = null;
        for (int i = nodes.size() - 1; i >= 0; i--) {
            try {
                nodes.get(i).stop();
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
