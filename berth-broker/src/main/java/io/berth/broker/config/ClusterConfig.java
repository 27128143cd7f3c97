package io.berth.broker.config;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The {@code cluster:} section: this node's id, where the cluster's own traffic binds, and every member.
 * {@link #NONE} (no section) is the single node.
 *
 * @param nodeId this node's id; one of {@code members}
 * @param bind host and port the cluster traffic (Raft) listens on
 * @param members every node of the cluster as {@code id@host:port}, in a fixed order
 * @param tuning timeouts and thresholds ({@link Tuning#DEFAULT} unless the section sets them)
 */
public record ClusterConfig(String nodeId, Address bind, List<Member> members, Tuning tuning) {
    /** No cluster: the single node. */
    public static final ClusterConfig NONE = new ClusterConfig("", new Address("", 0), List.of());

    private static final long DEFAULT_SEGMENT_BYTES = 8L << 20;

    /** A cluster with the default {@link Tuning}. */
    public ClusterConfig(String nodeId, Address bind, List<Member> members) {
        this(nodeId, bind, members, Tuning.DEFAULT);
    }

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");

    public ClusterConfig {
        Objects.requireNonNull(nodeId, "node-id");
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(tuning, "tuning");
        members = List.copyOf(members);
        if (!members.isEmpty()) {
            Set<String> ids = new HashSet<>();
            Set<Address> addresses = new HashSet<>();
            for (Member m : members) {
                if (!ids.add(m.id())) {
                    throw new IllegalArgumentException("cluster.members: node id '" + m.id() + "' appears twice");
                }
                if (!addresses.add(m.address())) {
                    throw new IllegalArgumentException("cluster.members: address " + m.address() + " appears twice");
                }
            }
            if (!ids.contains(nodeId)) {
                throw new IllegalArgumentException("cluster.node-id: '" + nodeId + "' is not in cluster.members "
                        + ids(members) + "; every node must be listed, itself included");
            }
            if (bind.port() == 0) {
                throw new IllegalArgumentException("cluster.bind: give a port (host:port), the members dial it");
            }
        }
    }

    /** The same cluster with other {@link Tuning}. */
    public ClusterConfig withTuning(Tuning t) {
        return new ClusterConfig(nodeId, bind, members, t);
    }

    /**
     * Timeouts and thresholds of a cluster node.
     *
     * @param majorityTimeoutMillis how long a node may be without a majority (no leader known, or a
     *     submission not committed) before it disconnects its clients (5.0: DISCONNECT 0x9C Use another
     *     server) and refuses new ones at once ({@code cluster.majority-timeout}, seconds in the file)
     * @param snapshotEvery how many log entries after the last snapshot make the node take the next one,
     *     after which the log behind it is purged ({@code cluster.snapshot-every})
     * @param logSegmentBytes the size at which a Raft log segment is closed; only closed segments are
     *     purged
     * @param orphanGraceMillis how long a member may be unheard of before the leader adopts the sessions
     *     it owns and runs their wills and expiry (ADR 14); a member back within it keeps them ({@code
     *     cluster.orphan-grace}, seconds in the file)
     */
    public record Tuning(long majorityTimeoutMillis, long snapshotEvery, long logSegmentBytes, long orphanGraceMillis) {
        /** 5 s before the sessions of a member that is gone are adopted. */
        public static final long DEFAULT_ORPHAN_GRACE_MILLIS = 5_000;

        /**
         * 3 s: ten times the longest Raft election timeout (300 ms), so that an election or a slow
         * follower does not disconnect anyone; 100,000 entries between snapshots; 8 MiB log segments;
         * 5 s of grace for a member that is gone.
         */
        public static final Tuning DEFAULT = new Tuning(3_000, 100_000, 8L << 20, DEFAULT_ORPHAN_GRACE_MILLIS);

        /** With the default orphan grace. */
        public Tuning(long majorityTimeoutMillis, long snapshotEvery, long logSegmentBytes) {
            this(majorityTimeoutMillis, snapshotEvery, logSegmentBytes, DEFAULT_ORPHAN_GRACE_MILLIS);
        }

        /** With the default segment size and orphan grace. */
        public Tuning(long majorityTimeoutMillis, long snapshotEvery) {
            this(majorityTimeoutMillis, snapshotEvery, DEFAULT_SEGMENT_BYTES);
        }

        /** The same with another orphan grace. */
        public Tuning withOrphanGrace(long millis) {
            return new Tuning(majorityTimeoutMillis, snapshotEvery, logSegmentBytes, millis);
        }

        public Tuning {
            if (majorityTimeoutMillis < 1) {
                throw new IllegalArgumentException("cluster.majority-timeout must be positive");
            }
            if (snapshotEvery < 1) {
                throw new IllegalArgumentException("cluster.snapshot-every must be at least 1 entry");
            }
            if (logSegmentBytes < 1024) {
                throw new IllegalArgumentException("a Raft log segment must be at least 1 KiB");
            }
            if (orphanGraceMillis < 0) {
                throw new IllegalArgumentException("cluster.orphan-grace must not be negative");
            }
        }
    }

    /** True when a {@code cluster:} section was given. */
    public boolean enabled() {
        return !members.isEmpty();
    }

    /** This node's entry of {@link #members}. */
    public Member self() {
        for (Member m : members) {
            if (m.id().equals(nodeId)) {
                return m;
            }
        }
        throw new IllegalStateException("no cluster");
    }

    /** The members as the config writes them: {@code [n1@host:port, ...]}. */
    public static String ids(List<Member> members) {
        return members.stream().map(Member::toString).toList().toString();
    }

    /** A host and port. */
    public record Address(String host, int port) {
        public Address {
            Objects.requireNonNull(host, "host");
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port must be 0..65535, is " + port);
            }
        }

        /** Parses {@code host:port} (an IPv6 host in brackets: {@code [::1]:7001}). */
        public static Address parse(String text) {
            int colon = text.lastIndexOf(':');
            if (colon <= 0 || colon == text.length() - 1) {
                throw new IllegalArgumentException("'" + text + "' is not host:port");
            }
            String host = text.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            int port;
            try {
                port = Integer.parseInt(text.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + text + "' is not host:port: the port is not a number");
            }
            if (host.isEmpty() || port < 1 || port > 65_535) {
                throw new IllegalArgumentException("'" + text + "' is not host:port with a port of 1..65535");
            }
            return new Address(host, port);
        }

        @Override
        public String toString() {
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
        }
    }

    /** One node of the cluster: {@code id@host:port}. */
    public record Member(String id, Address address) {
        public Member {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(address, "address");
            if (!ID.matcher(id).matches()) {
                throw new IllegalArgumentException("node id '" + id
                        + "' must be 1 to 64 letters, digits, '-' or '_', starting with a letter or digit");
            }
        }

        /** Parses {@code id@host:port}. */
        public static Member parse(String text) {
            int at = text.indexOf('@');
            if (at <= 0) {
                throw new IllegalArgumentException("member '" + text + "' is not id@host:port");
            }
            try {
                return new Member(text.substring(0, at), Address.parse(text.substring(at + 1)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("member '" + text + "': " + e.getMessage());
            }
        }

        @Override
        public String toString() {
            return id + "@" + address;
        }
    }
}
