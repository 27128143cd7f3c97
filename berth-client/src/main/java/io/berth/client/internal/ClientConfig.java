package io.berth.client.internal;

import io.berth.client.ConnectionListener;
import io.berth.client.DroppedMessageListener;
import io.berth.client.Message;
import io.berth.client.MessageHandler;
import io.berth.client.OverflowPolicy;
import io.berth.client.TlsConfig;
import io.berth.client.store.ClientSessionStore;
import io.berth.codec.MqttVersion;
import io.berth.codec.Topics;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A client's validated configuration, built by {@link io.berth.client.MqttClientBuilder}.
 *
 * <p>Threading: immutable.
 */
public record ClientConfig(
        String host,
        int port,
        MqttVersion version,
        String clientId,
        @Nullable String username,
        byte @Nullable [] password,
        boolean cleanStart,
        long sessionExpirySeconds,
        int keepAliveSeconds,
        int maxInflight,
        int maxPacketSize,
        Duration connectTimeout,
        Duration reconnectMinDelay,
        Duration reconnectMaxDelay,
        int maxBufferedMessages,
        long maxBufferedBytes,
        OverflowPolicy overflowPolicy,
        boolean resendOnSessionLoss,
        ClientSessionStore store,
        @Nullable MessageHandler defaultHandler,
        DroppedMessageListener droppedListener,
        ConnectionListener connectionListener,
        @Nullable Message will,
        long willDelaySeconds,
        int receiveMaximum,
        int topicAliasMaximum,
        @Nullable String scramUsername,
        char @Nullable [] scramPassword,
        @Nullable TlsConfig tls,
        @Nullable String webSocketPath) {

    public ClientConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(reconnectMinDelay, "reconnectMinDelay");
        Objects.requireNonNull(reconnectMaxDelay, "reconnectMaxDelay");
        Objects.requireNonNull(overflowPolicy, "overflowPolicy");
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(droppedListener, "droppedListener");
        Objects.requireNonNull(connectionListener, "connectionListener");
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("port out of range 1..65535: " + port);
        }
        if (version == MqttVersion.V3_1) {
            throw new IllegalArgumentException("MQTT 3.1 is not supported; use 3.1.1 or 5");
        }
        if (keepAliveSeconds < 0 || keepAliveSeconds > 65_535) {
            throw new IllegalArgumentException("keep alive out of range 0..65535 s: " + keepAliveSeconds);
        }
        if (sessionExpirySeconds < 0 || sessionExpirySeconds > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("session expiry out of range: " + sessionExpirySeconds);
        }
        if (maxInflight < 1 || maxInflight > 65_535) {
            throw new IllegalArgumentException("max in-flight out of range 1..65535: " + maxInflight);
        }
        if (maxBufferedMessages < 1 || maxBufferedBytes < 1) {
            throw new IllegalArgumentException("send buffer limits must be positive");
        }
        if (reconnectMinDelay.isNegative() || reconnectMaxDelay.compareTo(reconnectMinDelay) < 0) {
            throw new IllegalArgumentException("reconnect delays must satisfy 0 <= min <= max");
        }
        if (receiveMaximum < 1 || receiveMaximum > 65_535) {
            throw new IllegalArgumentException("receive maximum out of range 1..65535: " + receiveMaximum);
        }
        if (topicAliasMaximum < 0 || topicAliasMaximum > 65_535) {
            throw new IllegalArgumentException("topic alias maximum out of range 0..65535: " + topicAliasMaximum);
        }
        if (maxPacketSize < 64) {
            throw new IllegalArgumentException("maximum packet size below 64 bytes: " + maxPacketSize);
        }
        if (willDelaySeconds < 0 || willDelaySeconds > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("will delay out of range: " + willDelaySeconds);
        }
        if (will != null && !Topics.isValidTopicName(will.topic())) {
            throw new IllegalArgumentException("invalid will topic '" + will.topic() + "'");
        }
        if (scramUsername != null && !version.isV5()) {
            throw new IllegalArgumentException("SCRAM-SHA-256 needs MQTT 5 enhanced authentication");
        }
        if (webSocketPath != null && !webSocketPath.startsWith("/")) {
            throw new IllegalArgumentException("WebSocket path must start with '/': " + webSocketPath);
        }
        if (clientId.isEmpty() && !cleanStart) {
            throw new IllegalArgumentException("a persistent session (cleanStart false) needs a client id");
        }
    }
}
