package io.berth.broker.store;

import io.berth.codec.QoS;
import io.berth.codec.RetainHandling;
import java.util.Objects;

/**
 * A subscription of a session with all its options.
 *
 * @param filter the topic filter as subscribed, including a {@code $share/group/} prefix
 * @param subscriptionId the subscription identifier (5.0), 0 when none
 */
public record Subscription(
        String filter,
        QoS qos,
        boolean noLocal,
        boolean retainAsPublished,
        RetainHandling retainHandling,
        int subscriptionId) {

    public Subscription {
        Objects.requireNonNull(filter, "filter");
        Objects.requireNonNull(qos, "qos");
        Objects.requireNonNull(retainHandling, "retainHandling");
        if (subscriptionId < 0 || subscriptionId > 268_435_455) {
            throw new IllegalArgumentException("subscription identifier out of range: " + subscriptionId);
        }
    }
}
