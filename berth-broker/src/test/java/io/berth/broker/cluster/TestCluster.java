package io.berth.broker.cluster;

import io.berth.broker.Berth;
import io.berth.broker.config.BrokerConfig;
import io.berth.broker.config.ClusterConfig;
import io.berth.broker.config.Durability;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.ratis.util.ExitUtils;

/**
 * Three (or more) cluster nodes in this JVM, MQTT on port 0, Raft on free ports of 127.0.0.1. With
 * proxies, each node's Raft port is behind a {@link DroppingProxy}: the members dial the proxy, which can
 * cut the node off.
 *
 * <p>A Raft port must be known before its node starts (every member's address is in every node's
 * configuration), so it is taken with port 0 and held by a socket of this class until the node starts,
 * and again while a stopped node is down: a port given back to the system at once could be handed to an
 * outgoing connection of another test meanwhile. Ratis ends the JVM when its server cannot bind; in tests
 * it throws instead, so such a clash fails one test, not every test of the fork.
 */
final class TestCluster implements AutoCloseable {
    static {
        ExitUtils.disableSystemExit();
    }

    private final Path dir;
    private final List<ClusterConfig.Member> members = new ArrayList<>();
    private final List<ClusterConfig.Address> binds = new ArrayList<>();
    private final List<DroppingProxy> proxies = new ArrayList<>();
    private final Berth[] nodes;
    /** The Raft port of each node that is not running, held until it starts; null while it runs. */
    private final ServerSocket[] held;

    private ClusterConfig.Tuning tuning = ClusterConfig.Tuning.DEFAULT;
    private java.util.function.UnaryOperator<BrokerConfig.Builder> adjust = b -> b;

    TestCluster(Path dir, int size) {
        this(dir, size, false);
    }

    TestCluster(Path dir, int size, boolean proxied) {
        this.dir = dir;
        this.nodes = new Berth[size];
        this.held = new ServerSocket[size];
        for (int i = 0; i < size; i++) {
            held[i] = hold(0);
            ClusterConfig.Address bind = new ClusterConfig.Address("127.0.0.1", held[i].getLocalPort());
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

    /** A socket bound to {@code port} of 127.0.0.1 (0: any free one), which keeps it from others. */
    private static ServerSocket hold(int port) {
        try {
            ServerSocket s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot hold port " + port + " of 127.0.0.1", e);
        }
    }

    private static void release(ServerSocket s) {
        try {
            s.close();
        } catch (IOException e) {
            // closed already
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
        nodes[index] = Berth.builder().config(configToStart(index)).build().start();
        return nodes[index];
    }

    /**
     * The configuration of node {@code index} for a start that follows at once, here or by the caller (a
     * test that starts a {@link ClusterNode} itself): the node's Raft port is no longer held.
     */
    BrokerConfig configToStart(int index) {
        unhold(index);
        return config(index);
    }

    /** Gives back the Raft port of node {@code index} if it is held. */
    private void unhold(int index) {
        ServerSocket port = held[index];
        if (port != null) {
            held[index] = null;
            release(port);
        }
    }

    void stop(int index) {
        nodes[index].close();
        nodes[index] = null;
        holdAgain(index);
    }

    /** Holds the Raft port of a node that stopped until it starts again. */
    private void holdAgain(int index) {
        try {
            held[index] = hold(binds.get(index).port());
        } catch (UncheckedIOException e) {
            // taken meanwhile (or not given back yet): the node's next start says so
        }
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
        holdAgain(index);
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
            for (int i = 0; i < held.length; i++) {
                unhold(i);
            }
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
