package io.berth.codec;

/** Packet identifier limits (section 2.2.1). */
public final class PacketIds {
    /** The largest packet identifier. */
    public static final int MAX = 65_535;

    private PacketIds() {}

    /** Throws unless {@code id} is a valid non-zero packet identifier. */
    public static int require(int id) {
        if (id < 1 || id > MAX) {
            throw new IllegalArgumentException("packet identifier out of range 1..65535: " + id);
        }
        return id;
    }
}
