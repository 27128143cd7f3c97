package io.berth.broker.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Reads the {@code cluster:} section of {@code berth.yml}:
 *
 * <pre>
 * cluster:
 *   node-id: n1
 *   bind: 127.0.0.1:7001
 *   members: [n1@127.0.0.1:7001, n2@127.0.0.1:7002, n3@127.0.0.1:7003]
 *   majority-timeout: 3s     # optional: disconnect the clients after this long without a majority
 *   snapshot-every: 100000   # optional: log entries between snapshots
 *   orphan-grace: 5s         # optional: a member gone this long loses its sessions to the leader
 * </pre>
 *
 * Errors name the key as a path ({@code cluster.members: ...}).
 */
final class ClusterSection {
    private ClusterSection() {}

    static ClusterConfig read(JsonNode node) {
        if (!node.isObject()) {
            throw new IllegalArgumentException("cluster: expected a mapping with node-id, bind and members");
        }
        String nodeId = null;
        ClusterConfig.Address bind = null;
        List<ClusterConfig.Member> members = null;
        ClusterConfig.Tuning tuning = ClusterConfig.Tuning.DEFAULT;
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            String key = "cluster." + f.getKey();
            JsonNode v = f.getValue();
            try {
                switch (f.getKey()) {
                    case "node-id" -> nodeId = ConfigValues.text(v);
                    case "bind" -> bind = ClusterConfig.Address.parse(ConfigValues.text(v));
                    case "members" -> members = members(v);
                    case "majority-timeout" ->
                        tuning = new ClusterConfig.Tuning(
                                Math.multiplyExact(ConfigValues.seconds(v), 1000),
                                tuning.snapshotEvery(),
                                tuning.logSegmentBytes(),
                                tuning.orphanGraceMillis());
                    case "snapshot-every" ->
                        tuning = new ClusterConfig.Tuning(
                                tuning.majorityTimeoutMillis(),
                                ConfigValues.number(v),
                                tuning.logSegmentBytes(),
                                tuning.orphanGraceMillis());
                    case "orphan-grace" ->
                        tuning = tuning.withOrphanGrace(Math.multiplyExact(ConfigValues.seconds(v), 1000));
                    default -> throw new IllegalArgumentException("unknown option");
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(key + ": " + e.getMessage());
            }
        }
        if (nodeId == null) {
            throw new IllegalArgumentException("cluster.node-id: missing");
        }
        if (bind == null) {
            throw new IllegalArgumentException("cluster.bind: missing (host:port of the cluster's own traffic)");
        }
        if (members == null || members.isEmpty()) {
            throw new IllegalArgumentException("cluster.members: missing (a list of id@host:port)");
        }
        return new ClusterConfig(nodeId, bind, members, tuning);
    }

    private static List<ClusterConfig.Member> members(JsonNode v) {
        if (!v.isArray()) {
            throw new IllegalArgumentException("expected a list of id@host:port");
        }
        List<ClusterConfig.Member> out = new ArrayList<>();
        for (JsonNode m : v) {
            out.add(ClusterConfig.Member.parse(ConfigValues.text(m)));
        }
        return out;
    }
}
