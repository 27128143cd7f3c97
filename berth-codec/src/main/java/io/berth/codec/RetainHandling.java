package io.berth.codec;

import org.jspecify.annotations.Nullable;

/** MQTT 5 subscription option: when retained messages are sent on subscribe. */
public enum RetainHandling {
    SEND_ON_SUBSCRIBE(0),
    SEND_IF_NEW_SUBSCRIPTION(1),
    DO_NOT_SEND(2);

    private final int value;

    RetainHandling(int value) {
        this.value = value;
    }

    public int value() {
        return value;
    }

    /** The option for a wire value, or null for 3. */
    public static @Nullable RetainHandling fromValue(int value) {
        return switch (value) {
            case 0 -> SEND_ON_SUBSCRIBE;
            case 1 -> SEND_IF_NEW_SUBSCRIPTION;
            case 2 -> DO_NOT_SEND;
            default -> null;
        };
    }
}
