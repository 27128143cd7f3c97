package io.berth.broker.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Everything the broker is told at start, validated.
 *
 * @param bind address to listen on
 * @param port TCP port, 0 for any free port
 * @param dataDir where the durable store lives
 * @param durability what an acknowledgement promises
 * @param maxPacketSize largest packet accepted, in bytes (announced to 5.0 clients)
 * @param receiveMaximum how many inbound QoS 1/2 publishes a 5.0 client may have unacknowledged
 * @param maxInflight outbound in-flight window for 3.1.1 clients (5.0 clients set their own)
 * @param topicAliasMaximum topic aliases per direction on a 5.0 connection (the client may use this
 *     many; the broker uses at most this many of those the client accepts), 0 for none
 * @param maxSessionExpirySeconds cap for a 5.0 client's session expiry interval
 * @param persistentSessionExpirySeconds expiry of 3.1.1 sessions with cleanSession=0; 0xFFFFFFFF never
 * @param maxKeepAliveSeconds cap for keep alive; larger requests get Server Keep Alive (5.0)
 * @param connectTimeoutSeconds how long a new connection may take to send CONNECT
 * @param queueQos0Offline whether QoS 0 messages are queued for offline persistent sessions
 * @param shards number of session shards: single-writer event loops, which also serve the connections (ADR 9)
 * @param limits queue limits, overflow policies and watermarks
 * @param adminBind address of the admin HTTP listener
 * @param adminPort port of the admin HTTP listener, 0 for any free port, -1 for none
 * @param adminToken bearer token the admin API requires; empty to take it from {@code adminTokenFile}, or
 *     from {@code admin-token} in the data folder (generated at first start)
 * @param adminTokenFile file holding the admin token (one line); empty for none
 * @param security listeners, authentication, authorization and abuse limits
 * @param cluster the {@code cluster:} section, {@link ClusterConfig#NONE} for a single node
 */
public record BrokerConfig(
        String bind,
        int port,
        Path dataDir,
        Durability durability,
        int maxPacketSize,
        int receiveMaximum,
        int maxInflight,
        int topicAliasMaximum,
        long maxSessionExpirySeconds,
        long persistentSessionExpirySeconds,
        int maxKeepAliveSeconds,
        int connectTimeoutSeconds,
        boolean queueQos0Offline,
        int shards,
        Limits limits,
        String adminBind,
        int adminPort,
        String adminToken,
        String adminTokenFile,
        SecurityConfig security,
        ClusterConfig cluster) {

    /** Largest packet size the protocol can express: 268,435,455 bytes of remaining length + header. */
    public static final int PROTOCOL_MAX_PACKET_SIZE = 268_435_460;

    public static final long NEVER = 0xFFFF_FFFFL;

    public BrokerConfig {
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(dataDir, "data");
        Objects.requireNonNull(durability, "durability");
        check(port >= 0 && port <= 65_535, "port", "must be 0..65535, is " + port);
        check(
                maxPacketSize >= 64 && maxPacketSize <= PROTOCOL_MAX_PACKET_SIZE,
                "max-packet-size",
                "must be 64.." + PROTOCOL_MAX_PACKET_SIZE + ", is " + maxPacketSize);
        check(
                receiveMaximum >= 1 && receiveMaximum <= 65_535,
                "receive-maximum",
                "must be 1..65535, is " + receiveMaximum);
        check(maxInflight >= 1 && maxInflight <= 65_535, "max-inflight", "must be 1..65535, is " + maxInflight);
        check(
                topicAliasMaximum >= 0 && topicAliasMaximum <= 65_535,
                "topic-alias-maximum",
                "must be 0..65535, is " + topicAliasMaximum);
        check(
                maxSessionExpirySeconds >= 0 && maxSessionExpirySeconds <= NEVER,
                "max-session-expiry",
                "must be 0..4294967295 seconds, is " + maxSessionExpirySeconds);
        check(
                persistentSessionExpirySeconds >= 1 && persistentSessionExpirySeconds <= NEVER,
                "persistent-session-expiry",
                "must be 1..4294967295 seconds, is " + persistentSessionExpirySeconds);
        check(
                maxKeepAliveSeconds >= 1 && maxKeepAliveSeconds <= 65_535,
                "max-keep-alive",
                "must be 1..65535, is " + maxKeepAliveSeconds);
        check(connectTimeoutSeconds >= 1, "connect-timeout", "must be at least 1, is " + connectTimeoutSeconds);
        check(shards >= 1 && shards <= 1024, "shards", "must be 1..1024, is " + shards);
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(adminBind, "admin-bind");
        Objects.requireNonNull(adminToken, "admin-token");
        Objects.requireNonNull(adminTokenFile, "admin-token-file");
        check(
                adminToken.isEmpty() || adminTokenFile.isEmpty(),
                "admin-token",
                "give admin-token or admin-token-file, not both");
        check(adminPort >= -1 && adminPort <= 65_535, "admin-port", "must be -1..65535, is " + adminPort);
        Objects.requireNonNull(security, "security");
        Objects.requireNonNull(cluster, "cluster");
        check(
                !cluster.enabled() || durability != Durability.MEMORY,
                "durability",
                "memory keeps nothing to replicate; a cluster node needs fsync or os");
    }

    /** The listeners in force: those configured, or one TCP listener on {@link #bind} and {@link #port}. */
    public java.util.List<ListenerConfig> listeners() {
        return security.listeners().isEmpty()
                ? java.util.List.of(ListenerConfig.tcp(bind, port))
                : security.listeners();
    }

    private static void check(boolean ok, String key, String problem) {
        if (!ok) {
            throw new IllegalArgumentException(key + ": " + problem);
        }
    }

    /** The defaults, as README states them. */
    public static BrokerConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.bind = bind;
        b.port = port;
        b.dataDir = dataDir;
        b.durability = durability;
        b.maxPacketSize = maxPacketSize;
        b.receiveMaximum = receiveMaximum;
        b.maxInflight = maxInflight;
        b.topicAliasMaximum = topicAliasMaximum;
        b.maxSessionExpirySeconds = maxSessionExpirySeconds;
        b.persistentSessionExpirySeconds = persistentSessionExpirySeconds;
        b.maxKeepAliveSeconds = maxKeepAliveSeconds;
        b.connectTimeoutSeconds = connectTimeoutSeconds;
        b.queueQos0Offline = queueQos0Offline;
        b.shards = shards;
        b.limits = limits;
        b.adminBind = adminBind;
        b.adminPort = adminPort;
        b.adminToken = adminToken;
        b.adminTokenFile = adminTokenFile;
        b.security = security;
        b.cluster = cluster;
        return b;
    }

    /** Mutable builder holding the defaults; validation happens in {@link #build()}. */
    public static final class Builder {
        private String bind = "127.0.0.1";
        private int port = 1883;
        private Path dataDir = Path.of("data");
        private Durability durability = Durability.FSYNC;
        private int maxPacketSize = 1024 * 1024;
        private int receiveMaximum = 1024;
        private int maxInflight = 64;
        private int topicAliasMaximum = 64;
        private long maxSessionExpirySeconds = NEVER;
        private long persistentSessionExpirySeconds = NEVER;
        private int maxKeepAliveSeconds = 65_535;
        private int connectTimeoutSeconds = 10;
        private boolean queueQos0Offline;
        private int shards = Math.max(2, Runtime.getRuntime().availableProcessors());
        private Limits limits = Limits.DEFAULT;
        private String adminBind = "127.0.0.1";
        private int adminPort = 8088;
        private String adminToken = "";
        private String adminTokenFile = "";
        private SecurityConfig security = SecurityConfig.DEFAULT;
        private ClusterConfig cluster = ClusterConfig.NONE;

        private Builder() {}

        public Builder bind(String v) {
            bind = v;
            return this;
        }

        public Builder port(int v) {
            port = v;
            return this;
        }

        public Builder dataDir(Path v) {
            dataDir = v;
            return this;
        }

        public Builder durability(Durability v) {
            durability = v;
            return this;
        }

        public Builder maxPacketSize(int v) {
            maxPacketSize = v;
            return this;
        }

        public Builder receiveMaximum(int v) {
            receiveMaximum = v;
            return this;
        }

        public Builder maxInflight(int v) {
            maxInflight = v;
            return this;
        }

        public Builder topicAliasMaximum(int v) {
            topicAliasMaximum = v;
            return this;
        }

        public Builder maxSessionExpirySeconds(long v) {
            maxSessionExpirySeconds = v;
            return this;
        }

        public Builder persistentSessionExpirySeconds(long v) {
            persistentSessionExpirySeconds = v;
            return this;
        }

        public Builder maxKeepAliveSeconds(int v) {
            maxKeepAliveSeconds = v;
            return this;
        }

        public Builder connectTimeoutSeconds(int v) {
            connectTimeoutSeconds = v;
            return this;
        }

        public Builder queueQos0Offline(boolean v) {
            queueQos0Offline = v;
            return this;
        }

        public Builder shards(int v) {
            shards = v;
            return this;
        }

        public Builder limits(Limits v) {
            limits = v;
            return this;
        }

        public Builder adminBind(String v) {
            adminBind = v;
            return this;
        }

        public Builder adminPort(int v) {
            adminPort = v;
            return this;
        }

        public Builder adminToken(String v) {
            adminToken = v;
            return this;
        }

        public Builder adminTokenFile(String v) {
            adminTokenFile = v;
            return this;
        }

        public Builder security(SecurityConfig v) {
            security = v;
            return this;
        }

        public Builder cluster(ClusterConfig v) {
            cluster = v;
            return this;
        }

        public SecurityConfig security() {
            return security;
        }

        public BrokerConfig build() {
            return new BrokerConfig(
                    bind,
                    port,
                    dataDir,
                    durability,
                    maxPacketSize,
                    receiveMaximum,
                    maxInflight,
                    topicAliasMaximum,
                    maxSessionExpirySeconds,
                    persistentSessionExpirySeconds,
                    maxKeepAliveSeconds,
                    connectTimeoutSeconds,
                    queueQos0Offline,
                    shards,
                    limits,
                    adminBind,
                    adminPort,
                    adminToken,
                    adminTokenFile,
                    security,
                    cluster);
        }
    }
}
