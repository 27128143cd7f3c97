package io.berth.codec;

/** PINGRESP. */
public record PingrespPacket() implements MqttPacket {
    public static final PingrespPacket INSTANCE = new PingrespPacket();

    @Override
    public PacketType type() {
        return PacketType.PINGRESP;
    }
}
