package io.berth.codec;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * CONNECT. {@code clientId} may be empty. {@code username}, {@code password} and {@code will} are null
 * when absent.
 */
public record ConnectPacket(
        MqttVersion version,
        String clientId,
        boolean cleanStart,
        int keepAliveSeconds,
        @Nullable String username,
        byte @Nullable [] password,
        @Nullable Will will,
        MqttProperties properties)
        implements MqttPacket {

    public ConnectPacket {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(properties, "properties");
        if (keepAliveSeconds < 0 || keepAliveSeconds > 65_535) {
            throw new IllegalArgumentException("keep alive out of range: " + keepAliveSeconds);
        }
    }

    @Override
    public PacketType type() {
        return PacketType.CONNECT;
    }
}
