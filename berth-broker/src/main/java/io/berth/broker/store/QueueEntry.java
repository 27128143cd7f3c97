package io.berth.broker.store;

import io.berth.codec.QoS;
import java.util.List;
import java.util.Objects;

/**
 * One message in one session's queue: a reference to a {@link StoredMessage} plus what is particular to
 * this subscriber.
 *
 * @param seq position in the session's queue; increasing, never reused by the session
 * @param messageId the {@link StoredMessage#id()}
 * @param qos the QoS to deliver with (min of published and subscribed QoS)
 * @param retain the RETAIN flag to deliver with
 * @param subscriptionIds the subscription identifiers of the matching subscriptions (5.0)
 */
public record QueueEntry(long seq, long messageId, QoS qos, boolean retain, List<Integer> subscriptionIds) {
    public QueueEntry {
        Objects.requireNonNull(qos, "qos");
        subscriptionIds = List.copyOf(subscriptionIds);
    }
}
