package io.berth.broker.cluster;

import io.berth.broker.config.ClusterConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.ratis.proto.RaftProtos.RoleInfoProto;
import org.apache.ratis.proto.RaftProtos.ServerRpcProto;
import org.apache.ratis.server.DivisionInfo;
import org.apache.ratis.server.RaftServer;
import org.jspecify.annotations.Nullable;

/**
 * What one node knows of the session group at one moment: its own role and indices, and, on the
 * leader, how far each follower is (what {@code GET /cluster} shows and the metrics report).
 *
 * @param nodeId this node
 * @param group the Raft group (one session group in v1)
 * @param role this node's role: {@code leader}, {@code follower}, {@code candidate} or {@code listener}
 * @param leaderId the leader this node follows (itself when it leads), null when it knows none
 * @param term the current Raft term
 * @param commitIndex the highest log index this node knows to be committed
 * @param appliedIndex the highest log index applied to this node's replica
 * @param snapshotIndex the log index of this node's latest snapshot, -1 when it has none
 * @param logStartIndex the first index still in this node's log (the ones before are purged)
 * @param cutOff true while this node is cut off from the majority (its clients are sent away)
 * @param members every member, in the order of {@code cluster.members}
 */
public record GroupStatus(
        String nodeId,
        String group,
        String role,
        @Nullable String leaderId,
        long term,
        long commitIndex,
        long appliedIndex,
        long snapshotIndex,
        long logStartIndex,
        boolean cutOff,
        List<Member> members) {

    /**
     * One member as this node sees it.
     *
     * @param id its node id
     * @param address where its Raft traffic goes ({@code cluster.members})
     * @param role {@code leader}, {@code follower} (as the leader sees it), {@code self} for this
     *     node when it does not lead, or {@code unknown}
     * @param alive true when it answered within the last {@code lastContactMillis}, as the leader sees it;
     *     null when this node does not lead (it cannot tell)
     * @param lastContactMillis milliseconds since the leader last heard from it, -1 when not known
     * @param matchIndex the highest log index the leader knows it holds, -1 when not known
     * @param lag how many entries it is behind the leader's commit index, -1 when not known
     */
    public record Member(
            String id,
            String address,
            String role,
            @Nullable Boolean alive,
            long lastContactMillis,
            long matchIndex,
            long lag) {}

    /** True when this node leads the group. */
    public boolean leading() {
        return nodeId.equals(leaderId) && "leader".equals(role);
    }

    /**
     * Reads the status of {@code division}.
     *
     * @param aliveMillis a follower the leader heard from within this many milliseconds is alive
     */
    static GroupStatus of(
            RaftServer.Division division, ClusterConfig cluster, long snapshotIndex, boolean cutOff, long aliveMillis) {
        DivisionInfo info = division.getInfo();
        String self = cluster.nodeId();
        RoleInfoProto roleInfo = info.getRoleInfoProto();
        long commit = division.getRaftLog().getLastCommittedIndex();
        Map<String, Member> followers = new HashMap<>();
        if (info.isLeader() && roleInfo.hasLeaderInfo()) {
            List<ServerRpcProto> rpcs = roleInfo.getLeaderInfo().getFollowerInfoList();
            long[] match = info.getFollowerMatchIndices();
            for (int i = 0; i < rpcs.size(); i++) {
                ServerRpcProto rpc = rpcs.get(i);
                String id = rpc.getId().getId().toStringUtf8();
                long elapsed = rpc.getLastRpcElapsedTimeMs();
                long m = match != null && match.length == rpcs.size() ? match[i] : -1;
                followers.put(
                        id,
                        new Member(
                                id,
                                rpc.getId().getAddress(),
                                "follower",
                                elapsed <= aliveMillis,
                                elapsed,
                                m,
                                m < 0 ? -1 : Math.max(0, commit - m)));
            }
        }
        String leader = info.getLeaderId() == null ? null : info.getLeaderId().toString();
        List<Member> members = new ArrayList<>();
        for (ClusterConfig.Member m : cluster.members()) {
            String address = m.address().toString();
            Member seen = followers.get(m.id());
            if (seen != null) {
                members.add(new Member(
                        m.id(),
                        address,
                        seen.role(),
                        seen.alive(),
                        seen.lastContactMillis(),
                        seen.matchIndex(),
                        seen.lag()));
            } else if (m.id().equals(self)) {
                boolean leads = info.isLeader();
                members.add(new Member(
                        m.id(),
                        address,
                        leads ? "leader" : "self",
                        leads ? Boolean.TRUE : null,
                        leads ? 0 : -1,
                        leads
                                ? division.getRaftLog().getLastEntryTermIndex() == null
                                        ? 0
                                        : division.getRaftLog()
                                                .getLastEntryTermIndex()
                                                .getIndex()
                                : -1,
                        leads ? 0 : -1));
            } else {
                members.add(
                        new Member(m.id(), address, m.id().equals(leader) ? "leader" : "unknown", null, -1, -1, -1));
            }
        }
        return new GroupStatus(
                self,
                division.getGroup().getGroupId().getUuid().toString(),
                info.getCurrentRole().name().toLowerCase(Locale.ROOT),
                leader,
                info.getCurrentTerm(),
                commit,
                info.getLastAppliedIndex(),
                snapshotIndex,
                division.getRaftLog().getStartIndex(),
                cutOff,
                List.copyOf(members));
    }

    /**
     * True when this node is in touch with a leader: it leads, is ready (an entry of its term is
     * committed) and heard from a majority within {@code aliveMillis}; or it follows a leader it heard
     * from within {@code aliveMillis}.
     */
    static boolean inTouch(RaftServer.Division division, int size, long aliveMillis) {
        DivisionInfo info = division.getInfo();
        RoleInfoProto roleInfo = info.getRoleInfoProto();
        if (info.isLeader()) {
            if (!info.isLeaderReady() || !roleInfo.hasLeaderInfo()) {
                return false;
            }
            long heard = 1
                    + roleInfo.getLeaderInfo().getFollowerInfoList().stream()
                            .filter(f -> f.getLastRpcElapsedTimeMs() <= aliveMillis)
                            .count();
            return heard > size / 2;
        }
        return info.isFollower()
                && info.getLeaderId() != null
                && roleInfo.hasFollowerInfo()
                && roleInfo.getFollowerInfo().getLeaderInfo().getLastRpcElapsedTimeMs() <= aliveMillis;
    }
}
