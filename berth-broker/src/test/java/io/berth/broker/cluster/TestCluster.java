package io.berth.broker.cluster;

import io.berth.broker.Berth;
import io.berth.broker.config.BrokerConfig;
import io.berth.broker.config.ClusterConfig;
import io.berth.broker.config.Durability;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Three (or more) cluster nodes in this JVM, MQTT on port 0, Raft on free ports of 127.0.0.1. With
 * proxies, each node's Raft port is behind a {@link DroppingProxy}: the members dial the proxy, which can
 * cut the node off.
 */
final class TestCluster implements AutoCloseable {
    private final Path dir;
    private final List<ClusterConfig.Member> members = new ArrayList<>();
    private final List<ClusterConfig.Address> binds = new ArrayList<>();
    private final List<DroppingProxy> proxies = new ArrayList<>();
    private final Berth[] nodes;
    private ClusterConfig.Tuning tuning = ClusterConfig.Tuning.DEFAULT;
    private java.util.function.UnaryOperator<BrokerConfig.Builder> adjust = b -> b;

    TestCluster(Path dir, int size) {
        this(dir, size, false);
    }

    TestCluster(Path dir, int size, boolean proxied) {
        this.dir = dir;
        this.nodes = new Berth[size];
        java.util.Set<Integer> ports = new java.util.HashSet<>();
        for (int i = 0; i < size; i++) {
            int port = freePort();
            while (!ports.add(port)) { // the system may hand out a port it just handed out
                port = freePort();
            }
            ClusterConfig.Address bind = new ClusterConfig.Address("127.0.0.1", port);
            binds.add(bind);
            ClusterConfig.Address dialed = bind;
            if (proxied) {
                DroppingProxy proxy = new DroppingProxy(bind.port());
                proxies.add(proxy);
                dialed = new ClusterConfig.Address("127.0.0.1", proxy.port());
            }
            members.add(new ClusterConfig.Member("n" + (i + 1), dialed));
        }
    }

    /** Every node started from now on has {@code t}. */
    TestCluster tuning(ClusterConfig.Tuning t) {
        tuning = t;
        return this;
    }

    /** Every node started from now on has these further settings. */
    TestCluster adjust(java.util.function.UnaryOperator<BrokerConfig.Builder> a) {
        adjust = a;
        return this;
    }

    /** The proxy in front of node {@code index}'s Raft port (a cluster made with proxies). */
    DroppingProxy proxy(int index) {
        return proxies.get(index);
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<ClusterConfig.Member> members() {
        return members;
    }

    BrokerConfig config(int index) {
        ClusterConfig.Member m = members.get(index);
        return adjust.apply(BrokerConfig.builder()
                        .port(0)
                        .adminPort(-1)
                        .shards(2)
                        .durability(Durability.OS)
                        .dataDir(dir.resolve(m.id()))
                        .cluster(new ClusterConfig(m.id(), binds.get(index), members, tuning)))
                .build();
    }

    TestCluster startAll() {
        // each node's start waits for nothing from the others: the group elects a leader once two are up
        for (int i = 0; i < nodes.length; i++) {
            start(i);
        }
        return this;
    }

    Berth start(int index) {
        nodes[index] = Berth.builder().config(config(index)).build().start();
        return nodes[index];
    }

    void stop(int index) {
        nodes[index].close();
        nodes[index] = null;
    }

    /**
     * Stops node {@code index} as a crash would for the others: its Raft server goes first, so nothing
     * its connections do while they close (wills, session records) reaches the group.
     */
    void crash(int index) {
        ClusterNode node = nodes[index].cluster();
        if (node != null) {
            node.close();
        }
        nodes[index].close();
        nodes[index] = null;
    }

    Berth node(int index) {
        return nodes[index];
    }

    /**
     * Closes the nodes still running side by side: a node's close takes a second or more whatever it has
     * to do (its Raft log worker sees that it stops at its next poll, once a second), so one after another
     * they took three.
     */
    @Override
    public void close() {
        List<Runnable> closes = new ArrayList<>();
        for (int i = 0; i < nodes.length; i++) {
            Berth node = nodes[i];
            if (node != null) {
                nodes[i] = null;
                closes.add(node::close);
            }
        }
        try {
            sideBySide(closes);
        } finally {
            proxies.forEach(DroppingProxy::close);
        }
    }

    /** Runs {@code closes} each on a thread of its own and returns once all ended; rethrows a failure. */
    static void sideBySide(List<Runnable> closes) {
        List<CompletableFuture<Void>> running = new ArrayList<>();
        for (int i = 0; i < closes.size(); i++) {
            String name = "close-" + i;
            running.add(CompletableFuture.runAsync(closes.get(i), task -> new Thread(task, name).start()));
        }
        CompletableFuture.allOf(running.toArray(CompletableFuture[]::new)).join();
    }
}
