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

    /*
     * Not a compact constructor: javac 17 writes the @Nullable of an array component of a compact
     * constructor as a field annotation, so that other modules would read the password parameter as non-null.
     */
    public ConnectPacket(
            MqttVersion version,
            String clientId,
            boolean cleanStart,
            int keepAliveSeconds,
            @Nullable String username,
            byte @Nullable [] password,
            @Nullable Will will,
            MqttProperties properties) {
        if (keepAliveSeconds < 0 || keepAliveSeconds > 65_535) {
            throw new IllegalArgumentException("keep alive out of range: " + keepAliveSeconds);
        }
        this.version = Objects.requireNonNull(version, "version");
        this.clientId = Objects.requireNonNull(clientId, "clientId");
        this.cleanStart = cleanStart;
        this.keepAliveSeconds = keepAliveSeconds;
        this.username = username;
        this.password = password;
        this.will = will;
        this.properties = Objects.requireNonNull(properties, "properties");
    }

    @Override
    public PacketType type() {
        return PacketType.CONNECT;
    }
}
