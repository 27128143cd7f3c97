package io.berth.codec;

import java.util.Objects;

/** One topic filter of a SUBSCRIBE with its options (3.1.1 uses only filter and QoS). */
public record TopicSubscription(
        String filter, QoS qos, boolean noLocal, boolean retainAsPublished, RetainHandling retainHandling) {

    public TopicSubscription {
        Objects.requireNonNull(filter, "filter");
        Objects.requireNonNull(qos, "qos");
        Objects.requireNonNull(retainHandling, "retainHandling");
    }

    /** A subscription with default options. */
    public static TopicSubscription of(String filter, QoS qos) {
        return new TopicSubscription(filter, qos, false, false, RetainHandling.SEND_ON_SUBSCRIBE);
    }
}
