package io.berth.broker.cluster;

import io.berth.broker.store.StoreCommand;
import io.berth.broker.store.StoredMessage;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What changes in memory when a snapshot from the leader replaces this node's replica: the sessions this
 * node held that another node owns in the snapshot are let go (as if their claims were applied here),
 * and the retained index takes the snapshot's retained messages (topics gone from it are cleared).
 *
 * <p>Threading: on Ratis' state machine thread, in {@code reinitialize}.
 */
final class SnapshotFollowUp {
    private final String self;
    private final Set<String> mine;
    private final Set<String> retainedTopics;

    private SnapshotFollowUp(String self, Set<String> mine, Set<String> retainedTopics) {
        this.self = self;
        this.mine = mine;
        this.retainedTopics = retainedTopics;
    }

    /** Remembers what this node owns and which retained topics the replica holds, before the replacement. */
    static SnapshotFollowUp before(Replica replica, Map<String, String> owners, String self) {
        Set<String> mine = new HashSet<>();
        owners.forEach((client, node) -> {
            if (node.equals(self)) {
                mine.add(client);
            }
        });
        Set<String> topics = new HashSet<>();
        for (StoredMessage m : replica.recover().retained()) {
            topics.add(m.topic());
        }
        return new SnapshotFollowUp(self, mine, topics);
    }

    /** Tells {@code listener} what the replacement changed. */
    void after(Replica replica, Map<String, String> owners, SessionStateMachine.Listener listener) {
        for (String client : mine) {
            if (!self.equals(owners.get(client))) {
                listener.claimed(client);
            }
        }
        Set<String> gone = new HashSet<>(retainedTopics);
        for (StoredMessage m : replica.recover().retained()) {
            gone.remove(m.topic());
            listener.retained(new StoreCommand.PutRetained(m));
        }
        for (String topic : gone) {
            listener.retained(new StoreCommand.DeleteRetained(topic));
        }
    }
}
