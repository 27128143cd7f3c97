package io.berth.client.internal;

import io.berth.client.MessageProperties;
import io.berth.codec.MqttProperties;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Converts between the application's {@link MessageProperties} and the PUBLISH properties on the wire.
 *
 * <p>Threading: stateless.
 */
final class WireProperties {
    private WireProperties() {}

    /**
     * The PUBLISH properties for {@code p}, with {@code expirySeconds} as the Message Expiry Interval (what
     * is left of it; null for none).
     */
    static MqttProperties toWire(MessageProperties p, @Nullable Long expirySeconds) {
        if (p.isEmpty()) {
            return MqttProperties.EMPTY;
        }
        return MqttProperties.builder()
                .payloadFormatIndicator(p.utf8Payload() ? 1 : null)
                .messageExpiryInterval(expirySeconds)
                .contentType(p.contentType())
                .responseTopic(p.responseTopic())
                .correlationData(p.correlationData())
                .userProperties(p.userProperties())
                .build();
    }

    /** The message properties of a received PUBLISH (or of a will). */
    static MessageProperties fromWire(MqttProperties p) {
        if (p.isEmpty()) {
            return MessageProperties.NONE;
        }
        Long expiry = p.messageExpiryInterval();
        return new MessageProperties(
                Integer.valueOf(1).equals(p.payloadFormatIndicator()),
                expiry == null ? null : Duration.ofSeconds(expiry),
                p.contentType(),
                p.responseTopic(),
                p.correlationData(),
                p.userProperties(),
                p.subscriptionIdentifiers());
    }

    /**
     * What is left of a message's expiry interval at {@code nowMillis}, in whole seconds: null when it never
     * expires, 0 or less when it has expired.
     */
    static @Nullable Long remainingExpiry(MessageProperties p, long addedAtMillis, long nowMillis) {
        Duration expiry = p.messageExpiry();
        if (expiry == null) {
            return null;
        }
        long elapsedSeconds = Math.max(0, nowMillis - addedAtMillis) / 1000;
        return expiry.getSeconds() - elapsedSeconds;
    }
}
