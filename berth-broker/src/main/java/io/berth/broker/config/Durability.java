package io.berth.broker.config;

/** How much an acknowledgement promises. */
public enum Durability {
    /** Acknowledged after fsync of a group commit: survives power loss. */
    FSYNC,
    /** Acknowledged after the write reached the OS (WAL not synced): survives a process crash only. */
    OS,
    /** Kept in memory: survives nothing. */
    MEMORY;

    /** The name as written in options and config files. */
    public String optionName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Parses {@code fsync}, {@code os} or {@code memory}. */
    public static Durability parse(String text) {
        for (Durability d : values()) {
            if (d.optionName().equals(text.trim().toLowerCase(java.util.Locale.ROOT))) {
                return d;
            }
        }
        throw new IllegalArgumentException("durability must be fsync, os or memory, not '" + text + "'");
    }
}
