package io.berth.broker.cluster;

import io.berth.broker.config.ClusterConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * The gauges of a cluster node, tagged with the node and the group: its role ({@code
 * berth_cluster_leader} 1 on the leader, {@code berth_cluster_cut_off} 1 while cut off from the
 * majority), term, commit, applied and snapshot index, and, per member as the leader sees it, the lag
 * behind its commit index ({@code berth_cluster_member_lag}, -1 where this node does not know it: it
 * does not lead).
 *
 * <p>Threading: read by the registry on any thread; each reading asks Ratis for the status now.
 */
final class ClusterMetrics {
    private ClusterMetrics() {}

    static void register(MeterRegistry registry, ClusterConfig cluster, String group, Supplier<GroupStatus> status) {
        Tags tags = Tags.of("node", cluster.nodeId(), "group", group);
        gauge(
                registry,
                "berth_cluster_leader",
                "1 when this node leads the group",
                tags,
                status,
                s -> s.leading() ? 1 : 0);
        gauge(
                registry,
                "berth_cluster_cut_off",
                "1 while this node is cut off from the majority",
                tags,
                status,
                s -> s.cutOff() ? 1 : 0);
        gauge(registry, "berth_cluster_term", "the current Raft term", tags, status, GroupStatus::term);
        gauge(
                registry,
                "berth_cluster_commit_index",
                "the highest log index known committed",
                tags,
                status,
                GroupStatus::commitIndex);
        gauge(
                registry,
                "berth_cluster_applied_index",
                "the highest log index applied to this replica",
                tags,
                status,
                GroupStatus::appliedIndex);
        gauge(
                registry,
                "berth_cluster_snapshot_index",
                "the log index of the latest snapshot, -1 for none",
                tags,
                status,
                GroupStatus::snapshotIndex);
        for (ClusterConfig.Member m : cluster.members()) {
            gauge(
                    registry,
                    "berth_cluster_member_lag",
                    "entries a member is behind the leader's commit index, as the leader sees it; -1 unknown",
                    tags.and("member", m.id()),
                    status,
                    s -> s.members().stream()
                            .filter(p -> p.id().equals(m.id()))
                            .findFirst()
                            .map(GroupStatus.Member::lag)
                            .orElse(-1L));
        }
    }

    private static void gauge(
            MeterRegistry registry,
            String name,
            String description,
            Tags tags,
            Supplier<GroupStatus> status,
            ToDoubleFunction<GroupStatus> value) {
        // held strongly: Micrometer holds a gauge's object weakly, and the supplier is a method reference
        // nobody else keeps, so a garbage collection made the gauges NaN
        Gauge.builder(name, status, s -> value.applyAsDouble(s.get()))
                .description(description)
                .tags(tags)
                .strongReference(true)
                .register(registry);
    }
}
