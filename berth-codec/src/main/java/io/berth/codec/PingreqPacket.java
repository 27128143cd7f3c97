package io.berth.codec;

/** PINGREQ. */
public record PingreqPacket() implements MqttPacket {
    public static final PingreqPacket INSTANCE = new PingreqPacket();

    @Override
    public PacketType type() {
        return PacketType.PINGREQ;
    }
}
