package io.berth.bench.peer;

import io.berth.broker.Berth;
import io.berth.broker.config.ClusterConfig;
import io.berth.broker.config.Durability;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/** Berth in the benchmark's own JVM, for the smoke test: no process, so {@link #kill} only closes. */
public final class EmbeddedBerthPeer implements Peer {
    private final Durability durability;
    /** The node's cluster, {@link ClusterConfig#NONE} for a single node. */
    private final ClusterConfig cluster;

    private @Nullable Berth berth;
    private @Nullable Path dataDir;
    private int port;

    public EmbeddedBerthPeer(Durability durability) {
        this(durability, ClusterConfig.NONE);
    }

    private EmbeddedBerthPeer(Durability durability, ClusterConfig cluster) {
        this.durability = durability;
        this.cluster = cluster;
    }

    /**
     * A node of a cluster in this JVM; {@code os} durability when this peer's is {@code memory}, which a
     * cluster node refuses.
     */
    EmbeddedBerthPeer clusterNode(ClusterConfig node) {
        return new EmbeddedBerthPeer(durability == Durability.MEMORY ? Durability.OS : durability, node);
    }

    @Override
    public String name() {
        return "berth-embedded-" + durability.optionName() + (cluster.enabled() ? "-" + cluster.nodeId() : "");
    }

    @Override
    public String version() {
        return "Berth (embedded)";
    }

    @Override
    public String settings() {
        return "embedded in the benchmark JVM, defaults";
    }

    @Override
    public String acknowledgesFrom() {
        return durability.optionName();
    }

    @Override
    public boolean isBerth() {
        return true;
    }

    @Override
    public void start(Path dataDir) {
        this.dataDir = dataDir;
        Berth started = Berth.builder()
                .port(port)
                .dataDir(dataDir)
                .durability(durability)
                .configure(c -> c.adminPort(-1).cluster(cluster))
                .build()
                .start();
        berth = started;
        port = started.port();
    }

    @Override
    public Path dataDir() {
        if (dataDir == null) {
            throw new IllegalStateException(name() + " was not started");
        }
        return dataDir;
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public long pid() {
        return -1;
    }

    @Override
    public void stop() {
        if (berth != null) {
            berth.close();
            berth = null;
        }
    }

    @Override
    public void kill() {
        stop();
    }

    @Override
    public long heapUsedAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    @Override
    public long rss() {
        return -1;
    }

    @Override
    public void close() {
        stop();
    }
}
