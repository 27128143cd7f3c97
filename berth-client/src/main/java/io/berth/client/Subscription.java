package io.berth.client;

import io.berth.codec.QoS;
import io.berth.codec.RetainHandling;
import io.berth.codec.Topics;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A topic filter with its subscription options (MQTT 5 section 3.8.3.1; 3.1.1 sends only filter and QoS).
 *
 * <pre>{@code
 * Subscription s = Subscription.builder("chat/#")
 *     .qos(QoS.AT_LEAST_ONCE)
 *     .noLocal(true)                                      // not my own messages
 *     .retainHandling(RetainHandling.SEND_IF_NEW_SUBSCRIPTION)
 *     .subscriptionIdentifier(7)                          // in MessageProperties.subscriptionIdentifiers()
 *     .build();
 * }</pre>
 *
 * @param filter the topic filter
 * @param qos the maximum QoS
 * @param noLocal the broker does not send this client the messages it published itself
 * @param retainAsPublished messages keep the retain flag they were published with
 * @param retainHandling whether retained messages are sent when the subscription is made
 * @param subscriptionIdentifier 1..268,435,455, given back on every message this subscription matches, or
 *     null for none
 */
public record Subscription(
        String filter,
        QoS qos,
        boolean noLocal,
        boolean retainAsPublished,
        RetainHandling retainHandling,
        @Nullable Integer subscriptionIdentifier) {

    /** The largest subscription identifier (a variable byte integer). */
    public static final int MAX_SUBSCRIPTION_IDENTIFIER = 268_435_455;

    public Subscription {
        Objects.requireNonNull(filter, "filter");
        Objects.requireNonNull(qos, "qos");
        Objects.requireNonNull(retainHandling, "retainHandling");
        if (subscriptionIdentifier != null
                && (subscriptionIdentifier < 1 || subscriptionIdentifier > MAX_SUBSCRIPTION_IDENTIFIER)) {
            throw new IllegalArgumentException("subscription identifier out of range 1.." + MAX_SUBSCRIPTION_IDENTIFIER
                    + ": " + subscriptionIdentifier);
        }
        if (noLocal && Topics.isShared(filter)) {
            throw new IllegalArgumentException("No Local on a shared subscription is a protocol error [MQTT-3.8.3-4]");
        }
    }

    /** A subscription with default options. */
    public static Subscription of(String filter, QoS qos) {
        return new Subscription(filter, qos, false, false, RetainHandling.SEND_ON_SUBSCRIBE, null);
    }

    /** A builder: QoS 0, all options off, retained messages sent on subscribe, no identifier. */
    public static Builder builder(String filter) {
        return new Builder(filter);
    }

    /**
     * Builds a {@link Subscription}.
     *
     * <p>Threading: used by one thread at a time.
     */
    public static final class Builder {
        private final String filter;
        private QoS qos = QoS.AT_MOST_ONCE;
        private boolean noLocal;
        private boolean retainAsPublished;
        private RetainHandling retainHandling = RetainHandling.SEND_ON_SUBSCRIBE;
        private @Nullable Integer subscriptionIdentifier;

        private Builder(String filter) {
            this.filter = Objects.requireNonNull(filter, "filter");
        }

        public Builder qos(QoS qos) {
            this.qos = Objects.requireNonNull(qos, "qos");
            return this;
        }

        public Builder noLocal(boolean noLocal) {
            this.noLocal = noLocal;
            return this;
        }

        public Builder retainAsPublished(boolean retainAsPublished) {
            this.retainAsPublished = retainAsPublished;
            return this;
        }

        public Builder retainHandling(RetainHandling retainHandling) {
            this.retainHandling = Objects.requireNonNull(retainHandling, "retainHandling");
            return this;
        }

        public Builder subscriptionIdentifier(int id) {
            this.subscriptionIdentifier = id;
            return this;
        }

        public Subscription build() {
            return new Subscription(filter, qos, noLocal, retainAsPublished, retainHandling, subscriptionIdentifier);
        }
    }
}
