package io.berth.codec;

import org.jspecify.annotations.Nullable;

/** Quality of service levels. */
public enum QoS {
    AT_MOST_ONCE(0),
    AT_LEAST_ONCE(1),
    EXACTLY_ONCE(2);

    private final int value;

    QoS(int value) {
        this.value = value;
    }

    public int value() {
        return value;
    }

    /** The level for a wire value, or null for 3 and anything else. */
    public static @Nullable QoS fromValue(int value) {
        return switch (value) {
            case 0 -> AT_MOST_ONCE;
            case 1 -> AT_LEAST_ONCE;
            case 2 -> EXACTLY_ONCE;
            default -> null;
        };
    }

    /** The level for a wire value already checked to be 0, 1 or 2. */
    public static QoS of(int value) {
        QoS qos = fromValue(value);
        if (qos == null) {
            throw new IllegalArgumentException("no QoS " + value);
        }
        return qos;
    }

    public static QoS min(QoS a, QoS b) {
        return a.value <= b.value ? a : b;
    }

    public static QoS max(QoS a, QoS b) {
        return a.value >= b.value ? a : b;
    }
}
