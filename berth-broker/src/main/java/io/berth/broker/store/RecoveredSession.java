package io.berth.broker.store;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A session as read back at start: everything but the queued messages themselves, which are read when
 * delivered.
 *
 * @param queueHead the lowest queued sequence number still present (== queueTail when empty)
 * @param queueTail one past the highest sequence number ever queued
 * @param queuedCount how many entries the queue holds
 * @param queuedBytes the {@link StoredMessage#sizeBytes()} sum of those entries
 * @param inflight outbound in-flight messages in sequence order
 * @param inbound packet ids of inbound QoS 2 messages whose PUBREL has not come
 */
public record RecoveredSession(
        SessionRecord record,
        List<Subscription> subscriptions,
        long queueHead,
        long queueTail,
        long queuedCount,
        long queuedBytes,
        List<InflightRecord> inflight,
        Set<Integer> inbound) {

    public RecoveredSession {
        Objects.requireNonNull(record, "record");
        subscriptions = List.copyOf(subscriptions);
        inflight = List.copyOf(inflight);
        inbound = Set.copyOf(inbound);
    }
}
