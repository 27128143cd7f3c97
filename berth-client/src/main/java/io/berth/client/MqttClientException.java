package io.berth.client;

import io.berth.codec.ReasonCode;
import org.jspecify.annotations.Nullable;

/**
 * Why an operation failed at run time: a negative acknowledgement or a refusal from the broker (with its
 * {@link #reasonCode()}, and on 5.0 its {@link #reasonString()} and, for Use another server (0x9C) and
 * Server moved (0x9D), its {@link #serverReference()}), a message dropped by the {@link OverflowPolicy}, a
 * closed client, a failed store. API misuse is reported at once with {@link IllegalArgumentException} or
 * {@link IllegalStateException} instead.
 */
public final class MqttClientException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient @Nullable ReasonCode reasonCode;
    private final @Nullable String reasonString;
    private final @Nullable String serverReference;

    public MqttClientException(String message) {
        this(message, null, null);
    }

    public MqttClientException(String message, @Nullable ReasonCode reasonCode) {
        this(message, reasonCode, null);
    }

    public MqttClientException(String message, @Nullable ReasonCode reasonCode, @Nullable Throwable cause) {
        this(message, reasonCode, null, null, cause);
    }

    /**
     * @param message what failed
     * @param reasonCode the broker's reason code, or null
     * @param reasonString the broker's Reason String, or null
     * @param serverReference the broker's Server Reference, or null
     * @param cause the underlying failure, or null
     */
    public MqttClientException(
            String message,
            @Nullable ReasonCode reasonCode,
            @Nullable String reasonString,
            @Nullable String serverReference,
            @Nullable Throwable cause) {
        super(describe(message, reasonCode, reasonString, serverReference), cause);
        this.reasonCode = reasonCode;
        this.reasonString = reasonString;
        this.serverReference = serverReference;
    }

    private static String describe(
            String message,
            @Nullable ReasonCode reasonCode,
            @Nullable String reasonString,
            @Nullable String serverReference) {
        StringBuilder b = new StringBuilder(message);
        if (reasonCode != null) {
            b.append(" (reason code 0x")
                    .append(Integer.toHexString(reasonCode.code()))
                    .append(' ')
                    .append(reasonCode)
                    .append(')');
        }
        if (reasonString != null) {
            b.append(": ").append(reasonString);
        }
        if (serverReference != null) {
            b.append("; server reference: ").append(serverReference);
        }
        return b.toString();
    }

    /** The broker's reason code, or null when the failure did not come from the broker. */
    public @Nullable ReasonCode reasonCode() {
        return reasonCode;
    }

    /** The broker's Reason String (5.0), or null. */
    public @Nullable String reasonString() {
        return reasonString;
    }

    /**
     * The broker's Server Reference (5.0), or null: where to connect instead, with Use another server
     * (0x9C) or Server moved (0x9D). The client does not follow it by itself.
     */
    public @Nullable String serverReference() {
        return serverReference;
    }

    /** True for Use another server (0x9C) and Server moved (0x9D). */
    public boolean isRedirection() {
        return reasonCode == ReasonCode.USE_ANOTHER_SERVER || reasonCode == ReasonCode.SERVER_MOVED;
    }
}
