package io.berth.broker.routing;

import io.berth.broker.store.StoredMessage;
import io.berth.codec.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The retained message of every topic that has one, in memory; the store holds the durable copy.
 *
 * <p>Threading: a concurrent map; the shard of the publishing session writes, any shard reads.
 */
public final class RetainedIndex {
    private final Map<String, StoredMessage> byTopic = new ConcurrentHashMap<>();

    public void put(StoredMessage message) {
        byTopic.put(message.topic(), message);
    }

    public void remove(String topic) {
        byTopic.remove(topic);
    }

    public int size() {
        return byTopic.size();
    }

    /** The retained messages whose topic matches {@code filter} (not a shared filter), not expired. */
    public List<StoredMessage> matching(String filter, long nowMillis) {
        List<StoredMessage> out = new ArrayList<>();
        if (!filter.contains("+") && !filter.contains("#")) {
            StoredMessage m = byTopic.get(filter);
            if (m != null && m.expiresAtMillis() > nowMillis) {
                out.add(m);
            }
            return out;
        }
        for (StoredMessage m : byTopic.values()) {
            if (Topics.matches(filter, m.topic()) && m.expiresAtMillis() > nowMillis) {
                out.add(m);
            }
        }
        return out;
    }
}
