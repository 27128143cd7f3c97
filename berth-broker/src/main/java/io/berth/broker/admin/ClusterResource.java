package io.berth.broker.admin;

import io.berth.broker.cluster.GroupStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * {@code GET /cluster}: this node's view of the session group (members, leader, term, commit and applied
 * index, and, on the leader, each follower's match index and lag). A single node answers 404: it has no
 * cluster to show.
 *
 * <p>Threading: immutable; the status is read on the request pool (Ratis' own state is thread-safe).
 */
final class ClusterResource {
    private final @Nullable Supplier<GroupStatus> status;

    /** @param status this node's status, or null on a single node */
    ClusterResource(@Nullable Supplier<GroupStatus> status) {
        this.status = status;
    }

    Object handle(String method, String path) {
        AdminHttpHandler.requireMethod(method, "GET");
        if (!path.equals("/cluster")) {
            throw new AdminError(404, "no such resource: " + path);
        }
        Supplier<GroupStatus> s = status;
        if (s == null) {
            throw new AdminError(
                    404,
                    "this broker is a single node: it has no cluster section in its configuration"
                            + " (see docs/cluster.md)");
        }
        return document(s.get());
    }

    static Map<String, Object> document(GroupStatus s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("nodeId", s.nodeId());
        m.put("group", s.group());
        m.put("role", s.role());
        m.put("leader", s.leaderId());
        m.put("term", s.term());
        m.put("commitIndex", s.commitIndex());
        m.put("appliedIndex", s.appliedIndex());
        m.put("snapshotIndex", known(s.snapshotIndex()));
        m.put("logStartIndex", s.logStartIndex());
        m.put("cutOff", s.cutOff());
        List<Map<String, Object>> members = new ArrayList<>();
        for (GroupStatus.Member p : s.members()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("id", p.id());
            e.put("address", p.address());
            e.put("role", p.role());
            e.put("alive", p.alive());
            e.put("lastContactMillis", known(p.lastContactMillis()));
            e.put("matchIndex", known(p.matchIndex()));
            e.put("lag", known(p.lag()));
            members.add(e);
        }
        m.put("members", members);
        return m;
    }

    /** Null for -1 (not known to this node). */
    private static @Nullable Long known(long v) {
        return v < 0 ? null : v;
    }
}
