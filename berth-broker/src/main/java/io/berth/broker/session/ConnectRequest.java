package io.berth.broker.session;

import io.berth.codec.MqttProperties;
import io.berth.codec.Will;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A validated CONNECT, ready for the session shard.
 *
 * @param clientId the client id (assigned by the broker when the client sent none)
 * @param cleanStart clean session (3.1.1) or Clean Start (5.0)
 * @param expiryIntervalSeconds the session expiry interval in force, after the broker's caps
 * @param will the will message or null
 * @param principal the authenticated user, or empty
 * @param connackProperties what the CONNACK announces (limits, assigned id, server keep alive)
 */
public record ConnectRequest(
        ClientConnection connection,
        String clientId,
        boolean cleanStart,
        long expiryIntervalSeconds,
        @Nullable Will will,
        String principal,
        MqttProperties connackProperties) {
    public ConnectRequest {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(principal, "principal");
        Objects.requireNonNull(connackProperties, "connackProperties");
    }
}
