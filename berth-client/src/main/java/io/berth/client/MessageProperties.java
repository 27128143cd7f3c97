package io.berth.client;

import io.berth.codec.UserProperty;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The MQTT 5 properties of an application message (section 3.3.2.3). On a 3.1.1 connection they are not
 * sent. Null components are absent properties; lists are never null.
 *
 * <p>The correlation data array is shared, not copied: treat it as immutable once handed over.
 *
 * @param utf8Payload the Payload Format Indicator: true when the payload is UTF-8 text (indicator 1)
 * @param messageExpiry the Message Expiry Interval, whole seconds, or null for never; on a received
 *     message what was left of it when the broker sent it
 * @param contentType the Content Type, a MIME type for example
 * @param responseTopic the Response Topic of a request
 * @param correlationData the Correlation Data that ties a response to its request
 * @param userProperties the User Properties, in order; names may repeat
 * @param subscriptionIdentifiers on a received message: the identifiers of the subscriptions it matched
 *     (empty when sending)
 */
public record MessageProperties(
        boolean utf8Payload,
        @Nullable Duration messageExpiry,
        @Nullable String contentType,
        @Nullable String responseTopic,
        byte @Nullable [] correlationData,
        List<UserProperty> userProperties,
        List<Integer> subscriptionIdentifiers) {

    /** No properties. */
    public static final MessageProperties NONE =
            new MessageProperties(false, null, null, null, null, List.of(), List.of());

    /** The largest Message Expiry Interval MQTT can express, in seconds. */
    public static final long MAX_EXPIRY_SECONDS = 0xFFFF_FFFFL;

    public MessageProperties {
        userProperties = List.copyOf(userProperties);
        subscriptionIdentifiers = List.copyOf(subscriptionIdentifiers);
        if (messageExpiry != null && (messageExpiry.isNegative() || messageExpiry.getSeconds() > MAX_EXPIRY_SECONDS)) {
            throw new IllegalArgumentException(
                    "message expiry out of range 0.." + MAX_EXPIRY_SECONDS + " s: " + messageExpiry);
        }
    }

    /** True when no property is present. */
    public boolean isEmpty() {
        return !utf8Payload
                && messageExpiry == null
                && contentType == null
                && responseTopic == null
                && correlationData == null
                && userProperties.isEmpty()
                && subscriptionIdentifiers.isEmpty();
    }

    /** The value of the first user property called {@code name}, or null. */
    public @Nullable String userProperty(String name) {
        for (UserProperty p : userProperties) {
            if (p.name().equals(name)) {
                return p.value();
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return "MessageProperties[utf8Payload=" + utf8Payload + ", messageExpiry=" + messageExpiry
                + ", contentType=" + contentType + ", responseTopic=" + responseTopic + ", correlationData="
                + (correlationData == null ? "null" : correlationData.length + " bytes") + ", userProperties="
                + userProperties + ", subscriptionIdentifiers=" + subscriptionIdentifiers + "]";
    }
}
