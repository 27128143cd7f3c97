package io.berth.broker.routing;

import java.util.HashMap;
import org.jspecify.annotations.Nullable;

/**
 * What {@link TopicTree#match} found for the topics one thread matched lately, so that a topic published
 * again and again (a device's telemetry topic) is not split into levels and walked through the tree for
 * every message. An entry keeps what the walk visited, in its order, and the tree's version read before
 * the walk began. Every change of the tree moves its version, so an entry is used only while the tree is
 * as it was when the entry was made; an older one is walked again and replaced.
 *
 * <p>At most {@link #MAX_TOPICS} topics are kept; past that the cache starts over (a fleet that publishes
 * to one topic per device then walks as it would without a cache).
 *
 * <p>Threading: one per thread and tree (a {@link ThreadLocal} of the tree); never shared.
 */
final class MatchCache {
    /** Topics kept before the cache starts over. */
    static final int MAX_TOPICS = 4096;

    private final HashMap<String, Entry> entries = new HashMap<>();

    /**
     * What one walk visited: subscribers (a client id with its subscription) and {@link TopicTree.SharedGroup}s.
     *
     * @param version the tree's version before the walk
     */
    private record Entry(long version, Object[] visits) {}

    /** The visits of {@code topic} made at {@code version}, or null when there are none of that version. */
    Object @Nullable [] get(String topic, long version) {
        Entry e = entries.get(topic);
        return e == null || e.version() != version ? null : e.visits();
    }

    void put(String topic, long version, Object[] visits) {
        if (entries.size() >= MAX_TOPICS && !entries.containsKey(topic)) {
            entries.clear();
        }
        entries.put(topic, new Entry(version, visits));
    }

    int size() {
        return entries.size();
    }
}
