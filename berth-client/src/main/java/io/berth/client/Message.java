package io.berth.client;

import io.berth.codec.QoS;
import io.berth.codec.UserProperty;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An application message: what {@link MqttClient#publish} sends and what a {@link MessageHandler}
 * receives. Validation of the topic against the MQTT rules happens in {@code publish}, so that a received
 * message with any topic can be represented.
 *
 * <pre>{@code
 * Message m = Message.builder("readings/7")
 *     .payload("{\"t\":21.5}")
 *     .qos(QoS.AT_LEAST_ONCE)
 *     .contentType("application/json")
 *     .messageExpiry(Duration.ofMinutes(10))
 *     .userProperty("unit", "celsius")
 *     .build();
 * }</pre>
 *
 * <p>The payload array is shared, not copied: treat it as immutable once handed over.
 *
 * @param topic the topic name
 * @param payload the payload bytes, never null (may be empty)
 * @param qos the quality of service
 * @param retain whether the broker should retain the message (on receipt: the retain flag as sent)
 * @param properties the MQTT 5 properties, {@link MessageProperties#NONE} when there are none
 */
public record Message(String topic, byte[] payload, QoS qos, boolean retain, MessageProperties properties) {
    public Message {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(qos, "qos");
        Objects.requireNonNull(properties, "properties");
    }

    /** A message without properties. */
    public Message(String topic, byte[] payload, QoS qos, boolean retain) {
        this(topic, payload, qos, retain, MessageProperties.NONE);
    }

    /** A non-retained message. */
    public static Message of(String topic, byte[] payload, QoS qos) {
        return new Message(topic, payload, qos, false);
    }

    /** A non-retained message whose payload is the UTF-8 encoding of {@code text}. */
    public static Message of(String topic, String text, QoS qos) {
        return new Message(topic, text.getBytes(StandardCharsets.UTF_8), qos, false);
    }

    /**
     * A non-retained message with the QoS given as its wire value.
     *
     * @throws IllegalArgumentException when {@code qos} is not 0, 1 or 2
     */
    public static Message of(String topic, byte[] payload, int qos) {
        QoS level = QoS.fromValue(qos);
        if (level == null) {
            throw new IllegalArgumentException("QoS must be 0, 1 or 2, not " + qos);
        }
        return new Message(topic, payload, level, false);
    }

    /** A builder for a message on {@code topic}: empty payload, QoS 0, not retained, no properties. */
    public static Builder builder(String topic) {
        return new Builder(topic);
    }

    /** A builder starting from this message. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * The response to this request: a message to its Response Topic carrying its Correlation Data, at the
     * request's QoS.
     *
     * @throws IllegalStateException when this message has no Response Topic
     */
    public Builder replyBuilder() {
        if (properties.responseTopic() == null) {
            throw new IllegalStateException("message on " + topic + " has no response topic");
        }
        return builder(properties.responseTopic()).qos(qos).correlationData(properties.correlationData());
    }

    /** The payload decoded as UTF-8. */
    public String payloadAsString() {
        return new String(payload, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "Message[topic=" + topic + ", qos=" + qos.value() + ", retain=" + retain + ", payload=" + payload.length
                + " bytes" + (properties.isEmpty() ? "" : ", " + properties) + "]";
    }

    /**
     * Builds a {@link Message}.
     *
     * <p>Threading: used by one thread at a time.
     */
    public static final class Builder {
        private String topic;
        private byte[] payload = new byte[0];
        private QoS qos = QoS.AT_MOST_ONCE;
        private boolean retain;
        private boolean utf8Payload;
        private @Nullable Duration messageExpiry;
        private @Nullable String contentType;
        private @Nullable String responseTopic;
        private byte @Nullable [] correlationData;
        private final List<UserProperty> userProperties = new ArrayList<>();
        private List<Integer> subscriptionIdentifiers = List.of();

        private Builder(String topic) {
            this.topic = Objects.requireNonNull(topic, "topic");
        }

        private Builder(Message m) {
            this.topic = m.topic;
            this.payload = m.payload;
            this.qos = m.qos;
            this.retain = m.retain;
            MessageProperties p = m.properties;
            this.utf8Payload = p.utf8Payload();
            this.messageExpiry = p.messageExpiry();
            this.contentType = p.contentType();
            this.responseTopic = p.responseTopic();
            this.correlationData = p.correlationData();
            this.userProperties.addAll(p.userProperties());
            this.subscriptionIdentifiers = p.subscriptionIdentifiers();
        }

        /** The topic name. */
        public Builder topic(String topic) {
            this.topic = Objects.requireNonNull(topic, "topic");
            return this;
        }

        /** The payload bytes (shared, not copied). */
        public Builder payload(byte[] payload) {
            this.payload = Objects.requireNonNull(payload, "payload");
            return this;
        }

        /** The payload as UTF-8 text; also sets the Payload Format Indicator to UTF-8. */
        public Builder payload(String text) {
            this.payload = text.getBytes(StandardCharsets.UTF_8);
            this.utf8Payload = true;
            return this;
        }

        /** The quality of service; default 0. */
        public Builder qos(QoS qos) {
            this.qos = Objects.requireNonNull(qos, "qos");
            return this;
        }

        /** Whether the broker retains the message; default false. */
        public Builder retain(boolean retain) {
            this.retain = retain;
            return this;
        }

        /** The Payload Format Indicator: true for UTF-8 text; default false (unspecified bytes). */
        public Builder utf8Payload(boolean utf8) {
            this.utf8Payload = utf8;
            return this;
        }

        /**
         * The Message Expiry Interval in whole seconds, or null for never (the default). While the message
         * waits in the client's send buffer the interval counts down; a message that expires there is
         * dropped and reported to the {@link DroppedMessageListener}.
         */
        public Builder messageExpiry(@Nullable Duration expiry) {
            this.messageExpiry = expiry;
            return this;
        }

        /** The Content Type (a MIME type, for example); default none. */
        public Builder contentType(@Nullable String contentType) {
            this.contentType = contentType;
            return this;
        }

        /** The Response Topic, for a request; default none. */
        public Builder responseTopic(@Nullable String responseTopic) {
            this.responseTopic = responseTopic;
            return this;
        }

        /** The Correlation Data (shared, not copied); default none. */
        public Builder correlationData(byte @Nullable [] correlationData) {
            this.correlationData = correlationData;
            return this;
        }

        /** Adds a User Property; names may repeat and order is kept. */
        public Builder userProperty(String name, String value) {
            userProperties.add(new UserProperty(name, value));
            return this;
        }

        /** Replaces all User Properties. */
        public Builder userProperties(List<UserProperty> properties) {
            userProperties.clear();
            userProperties.addAll(properties);
            return this;
        }

        /** Sets all properties at once, replacing those set before. */
        public Builder properties(MessageProperties p) {
            this.utf8Payload = p.utf8Payload();
            this.messageExpiry = p.messageExpiry();
            this.contentType = p.contentType();
            this.responseTopic = p.responseTopic();
            this.correlationData = p.correlationData();
            this.subscriptionIdentifiers = p.subscriptionIdentifiers();
            return userProperties(p.userProperties());
        }

        /**
         * @throws IllegalArgumentException when the message expiry is out of range
         */
        public Message build() {
            return new Message(
                    topic,
                    payload,
                    qos,
                    retain,
                    new MessageProperties(
                            utf8Payload,
                            messageExpiry,
                            contentType,
                            responseTopic,
                            correlationData,
                            userProperties,
                            subscriptionIdentifiers));
        }
    }
}
