package io.berth.broker.store;

import io.berth.codec.MqttVersion;
import io.berth.codec.Will;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a session is, apart from its subscriptions, queue and packet state.
 *
 * @param clientId the client identifier
 * @param version protocol version of the last connection
 * @param expiryIntervalSeconds session expiry interval; 0xFFFFFFFFL never expires
 * @param disconnectedAtMillis when the last connection ended, 0 while connected
 * @param will the will message of the current connection, or null; its will delay is in its
 *     properties
 * @param owner the principal that created the session, or empty when anonymous
 */
public record SessionRecord(
        String clientId,
        MqttVersion version,
        long expiryIntervalSeconds,
        long disconnectedAtMillis,
        @Nullable Will will,
        String owner) {

    /** The expiry interval that means "never". */
    public static final long NEVER_EXPIRES = 0xFFFF_FFFFL;

    public SessionRecord {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(owner, "owner");
        if (expiryIntervalSeconds < 0 || expiryIntervalSeconds > NEVER_EXPIRES) {
            throw new IllegalArgumentException("expiry interval out of range: " + expiryIntervalSeconds);
        }
    }

    public SessionRecord withDisconnectedAt(long millis) {
        return new SessionRecord(clientId, version, expiryIntervalSeconds, millis, will, owner);
    }

    public SessionRecord withWill(@Nullable Will newWill) {
        return new SessionRecord(clientId, version, expiryIntervalSeconds, disconnectedAtMillis, newWill, owner);
    }

    public SessionRecord withExpiry(long seconds) {
        return new SessionRecord(clientId, version, seconds, disconnectedAtMillis, will, owner);
    }
}
