package io.berth.codec;

import java.util.Objects;

/** An MQTT 5 user property: a UTF-8 string pair; names may repeat. */
public record UserProperty(String name, String value) {
    public UserProperty {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
    }
}
