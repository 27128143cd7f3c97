package io.berth.broker.cluster;

import org.apache.ratis.server.RaftServer;

/**
 * What a node knows of the session group.
 *
 * @param nodeId this node
 * @param leaderId the leader this node follows (itself when it leads), empty when it knows none
 * @param term the current Raft term
 * @param commitIndex the highest log index this node knows to be committed
 * @param appliedIndex the highest log index applied to this node's replica
 */
public record NodeStatus(String nodeId, String leaderId, long term, long commitIndex, long appliedIndex) {
    /** What {@code division}, the group's server on node {@code nodeId}, knows now; any thread. */
    static NodeStatus of(String nodeId, RaftServer.Division division) {
        var info = division.getInfo();
        return new NodeStatus(
                nodeId,
                info.getLeaderId() == null ? "" : info.getLeaderId().toString(),
                info.getCurrentTerm(),
                division.getRaftLog().getLastCommittedIndex(),
                info.getLastAppliedIndex());
    }
}
