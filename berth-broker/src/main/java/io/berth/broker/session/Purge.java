package io.berth.broker.session;

import io.berth.broker.store.StoredMessage;
import io.berth.codec.Topics;
import org.jspecify.annotations.Nullable;

/**
 * Which queued messages a purge removes: all, those whose topic matches a filter, those older than a
 * point in time, or the oldest N.
 *
 * @param topicFilter only messages on matching topics, or null for any
 * @param olderThanMillis only messages that arrived before this wall-clock time, or 0 for any age
 * @param oldest at most this many (the oldest first), or 0 for no limit
 */
public record Purge(@Nullable String topicFilter, long olderThanMillis, long oldest) {
    public Purge {
        if (topicFilter != null && !Topics.isValidTopicFilter(topicFilter)) {
            throw new IllegalArgumentException("not a valid topic filter: '" + topicFilter + "'");
        }
        if (olderThanMillis < 0 || oldest < 0) {
            throw new IllegalArgumentException("older-than and oldest must not be negative");
        }
    }

    public static Purge all() {
        return new Purge(null, 0, 0);
    }

    boolean matches(StoredMessage m, long alreadyTaken, long now) {
        if (oldest > 0 && alreadyTaken >= oldest) {
            return false;
        }
        if (olderThanMillis > 0 && m.arrivalMillis() >= olderThanMillis) {
            return false;
        }
        return topicFilter == null || Topics.matches(topicFilter, m.topic());
    }
}
