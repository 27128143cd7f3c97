package io.berth.codec;

import org.jspecify.annotations.Nullable;

/** The protocol versions Berth speaks, with the protocol level byte of CONNECT. */
public enum MqttVersion {
    /** MQTT 3.1 (protocol name "MQIsdp"), handled like 3.1.1. */
    V3_1(3, "MQIsdp"),
    V3_1_1(4, "MQTT"),
    V5(5, "MQTT");

    private final int level;
    private final String protocolName;

    MqttVersion(int level, String protocolName) {
        this.level = level;
        this.protocolName = protocolName;
    }

    public int level() {
        return level;
    }

    public String protocolName() {
        return protocolName;
    }

    /** True for MQTT 5.0, the only version with properties and reason codes everywhere. */
    public boolean isV5() {
        return this == V5;
    }

    /** The version for a CONNECT's protocol level, or null when Berth does not speak it. */
    public static @Nullable MqttVersion fromLevel(int level) {
        for (MqttVersion v : values()) {
            if (v.level == level) {
                return v;
            }
        }
        return null;
    }
}
