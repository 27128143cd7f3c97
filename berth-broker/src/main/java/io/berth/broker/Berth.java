package io.berth.broker;

import io.berth.broker.admin.AdminServer;
import io.berth.broker.auth.Security;
import io.berth.broker.cluster.ClusterNode;
import io.berth.broker.config.BrokerConfig;
import io.berth.broker.config.Durability;
import io.berth.broker.metrics.BrokerMetrics;
import io.berth.broker.routing.RetainedIndex;
import io.berth.broker.routing.TopicTree;
import io.berth.broker.session.BrokerContext;
import io.berth.broker.session.SessionAdmin;
import io.berth.broker.session.Sessions;
import io.berth.broker.store.SessionStore;
import io.berth.broker.store.StoredMessage;
import io.berth.broker.store.memory.MemorySessionStore;
import io.berth.broker.transport.EventLoops;
import io.berth.broker.transport.MqttServer;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An embedded Berth broker.
 *
 * <pre>{@code
 * try (Berth berth = Berth.builder().port(0).dataDir(dir).build().start()) {
 *   int port = berth.port();
 * }
 * }</pre>
 *
 * <p>Threading: {@link #start} and {@link #close} from one thread at a time; {@link #close} is
 * idempotent.
 */
public final class Berth implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Berth.class);
    private final BrokerConfig config;
    private final @Nullable SessionStore suppliedStore;
    private @Nullable SessionStore store;
    private @Nullable ClusterNode cluster;
    private @Nullable Sessions sessions;
    private @Nullable MqttServer server;
    private @Nullable EventLoops loops;
    private @Nullable Security security;
    private List<InetSocketAddress> addresses = List.of();
    private @Nullable AdminServer adminServer;
    private long recoveryMillis;
    private final BrokerMetrics metrics = new BrokerMetrics();
    private boolean closed;

    private final Thread.UncaughtExceptionHandler fatal;

    private Berth(BrokerConfig config, @Nullable SessionStore suppliedStore, Thread.UncaughtExceptionHandler fatal) {
        this.config = config;
        this.suppliedStore = suppliedStore;
        this.fatal = fatal;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Opens the store, restores the sessions it holds, then accepts connections. */
    public synchronized Berth start() {
        if (server != null) {
            return this;
        }
        long begin = System.nanoTime();
        security = Security.start(config, metrics);
        try {
            if (config.cluster().enabled() && suppliedStore == null) {
                cluster = ClusterNode.start(config, metrics::commit);
                cluster.bindMetrics(metrics.registry());
                store = cluster.store();
            } else {
                store = suppliedStore != null ? suppliedStore : Stores.open(config, metrics::commit);
            }
            long opened = System.nanoTime();
            ExposedFiles.warn(config);
            SessionStore.Recovery recovery = store.recover();
            long read = System.nanoTime();
            // with a durable store retained payloads stay on disk, read back when delivered
            RetainedIndex retained =
                    new RetainedIndex(config.limits().retained(), store.durable() ? store::readRetained : null);
            for (StoredMessage m : recovery.retained()) {
                retained.restore(m);
            }
            BrokerContext context = new BrokerContext(
                    config,
                    store,
                    store.durable() ? new MemorySessionStore() : store,
                    new TopicTree(),
                    retained,
                    new ConcurrentHashMap<>(),
                    new AtomicLong(recovery.nextMessageId()),
                    System::currentTimeMillis,
                    metrics,
                    security,
                    fatal);
            loops = new EventLoops(config.shards());
            sessions = new Sessions(context, loops.shardLoops(), cluster);
            sessions.restore(recovery);
            if (cluster != null) {
                cluster.attach(sessions, retained);
            }
            long restored = System.nanoTime();
            recoveryMillis = (restored - begin) / 1_000_000;
            metrics.recoveryMillis(recoveryMillis);
            server = new MqttServer(config, sessions, security, loops);
            addresses = server.start();
            LOG.info(
                    "started in {} ms: store opened in {} ms, {} sessions and {} retained messages read in {} ms,"
                            + " sessions restored in {} ms, listening after {} ms",
                    millis(begin, System.nanoTime()),
                    millis(begin, opened),
                    recovery.sessions().size(),
                    recovery.retained().size(),
                    millis(opened, read),
                    millis(read, restored),
                    millis(restored, System.nanoTime()));
            if (config.adminPort() >= 0) {
                ClusterNode node = cluster;
                adminServer = AdminServer.start(config, admin(), metrics, node == null ? null : node::groupStatus);
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        return this;
    }

    private static long millis(long fromNanos, long toNanos) {
        return (toNanos - fromNanos) / 1_000_000;
    }

    /** The bound port of the first listener (useful with port 0). */
    public int port() {
        return addresses.get(0).getPort();
    }

    public InetSocketAddress address() {
        return addresses.get(0);
    }

    /** The bound address of every listener, in the order of {@link BrokerConfig#listeners()}. */
    public List<InetSocketAddress> addresses() {
        return addresses;
    }

    /** The admin API's token and where it is kept; null when the admin API is off. */
    public io.berth.broker.admin.@Nullable AdminToken adminToken() {
        return adminServer == null ? null : adminServer.token();
    }

    /** The bound port of the admin HTTP API, or -1 when it is off ({@code adminPort(-1)}). */
    public int adminPort() {
        return adminServer == null ? -1 : adminServer.address().getPort();
    }

    /** Authentication, authorization and abuse limits of the running broker (for tests). */
    Security security() {
        return running(security);
    }

    private static <T> T running(@Nullable T part) {
        if (part == null) {
            throw new IllegalStateException("the broker is not started");
        }
        return part;
    }

    public BrokerConfig config() {
        return config;
    }

    /** What the store says of itself, for the startup line. */
    public String storeDescription() {
        return running(store).describe();
    }

    /** Operator access to sessions and queues. */
    public SessionAdmin admin() {
        ClusterNode node = cluster;
        return new SessionAdmin(running(sessions), node == null ? null : node.sessionsView());
    }

    /** This broker's membership of a cluster, or null for a single node. */
    public @Nullable ClusterNode cluster() {
        return cluster;
    }

    /** The broker's metrics. */
    public BrokerMetrics metrics() {
        return metrics;
    }

    /** How long opening and restoring took, in milliseconds. */
    public long recoveryMillis() {
        return recoveryMillis;
    }

    /** Stops accepting, closes every connection, stops the shards, closes the store (if it opened it). */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (adminServer != null) {
            adminServer.close();
        }
        if (server != null) {
            server.close();
        }
        if (loops != null) {
            // the work of the connections just closed runs first
            loops.close();
        }
        if (sessions != null) {
            sessions.close();
        }
        if (cluster != null) {
            cluster.close();
        } else if (store != null && suppliedStore == null) {
            store.close();
        }
        if (security != null) {
            security.close();
        }
    }

    /**
     * Builds a broker from {@link BrokerConfig} defaults and the settings given here, except that an
     * embedded broker opens no admin listener unless asked ({@link #adminPort}); {@code berth serve}
     * opens it on 8088.
     */
    public static final class Builder {
        private final BrokerConfig.Builder config = BrokerConfig.builder().adminPort(-1);
        private @Nullable BrokerConfig whole;
        private @Nullable SessionStore store;
        private Thread.UncaughtExceptionHandler fatal = FatalErrors.HALT;

        private Builder() {}

        /**
         * What to do when an error escapes a task of a session shard; by default the process stops
         * ({@link FatalErrors#HALT}), as a broker that goes on with a dead shard serves half its clients.
         */
        public Builder onFatalError(Thread.UncaughtExceptionHandler handler) {
            fatal = java.util.Objects.requireNonNull(handler);
            return this;
        }

        /** Port of the admin HTTP API: 0 for any free port, -1 (the default here) for none. */
        public Builder adminPort(int port) {
            config.adminPort(port);
            return this;
        }

        public Builder config(BrokerConfig c) {
            whole = c;
            return this;
        }

        public Builder port(int port) {
            config.port(port);
            return this;
        }

        public Builder bind(String bind) {
            config.bind(bind);
            return this;
        }

        public Builder dataDir(Path dir) {
            config.dataDir(dir);
            return this;
        }

        public Builder durability(Durability d) {
            config.durability(d);
            return this;
        }

        /** Changes any other setting. */
        public Builder configure(java.util.function.Consumer<BrokerConfig.Builder> change) {
            change.accept(config);
            return this;
        }

        /** Uses this store instead of opening one (it is not closed with the broker). */
        public Builder store(SessionStore s) {
            store = s;
            return this;
        }

        public Berth build() {
            return new Berth(whole != null ? whole : config.build(), store, fatal);
        }
    }
}
