package io.berth.client;

import io.berth.codec.ReasonCode;
import io.berth.codec.UserProperty;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The DISCONNECT the client sends when it closes with {@link MqttClient#close(Disconnect)} (5.0; a 3.1.1
 * DISCONNECT carries none of this).
 *
 * <pre>{@code
 * client.close(Disconnect.WITH_WILL);                       // the broker publishes the will
 * client.close(new Disconnect(ReasonCode.SUCCESS, "maintenance", Duration.ZERO, List.of())); // end the session
 * }</pre>
 *
 * @param reasonCode Normal disconnection (0x00), Disconnect with Will Message (0x04), or an error code
 * @param reasonString a human-readable reason for the broker's logs, or null
 * @param sessionExpiry a new Session Expiry Interval, or null to keep the one from CONNECT; it cannot be
 *     raised from zero [MQTT-3.14.2-2]
 * @param userProperties user properties, in order
 */
public record Disconnect(
        ReasonCode reasonCode,
        @Nullable String reasonString,
        @Nullable Duration sessionExpiry,
        List<UserProperty> userProperties) {

    /** Normal disconnection: the broker discards the will. */
    public static final Disconnect NORMAL = new Disconnect(ReasonCode.SUCCESS, null, null, List.of());

    /** Disconnect with Will Message (0x04): the broker publishes the will as if the connection were lost. */
    public static final Disconnect WITH_WILL =
            new Disconnect(ReasonCode.DISCONNECT_WITH_WILL_MESSAGE, null, null, List.of());

    public Disconnect {
        Objects.requireNonNull(reasonCode, "reasonCode");
        userProperties = List.copyOf(userProperties);
        if (!reasonCode.isError()
                && reasonCode != ReasonCode.SUCCESS
                && reasonCode != ReasonCode.DISCONNECT_WITH_WILL_MESSAGE) {
            throw new IllegalArgumentException("not a DISCONNECT reason code: " + reasonCode);
        }
        if (sessionExpiry != null
                && (sessionExpiry.isNegative() || sessionExpiry.getSeconds() > MessageProperties.MAX_EXPIRY_SECONDS)) {
            throw new IllegalArgumentException("session expiry out of range: " + sessionExpiry);
        }
    }
}
