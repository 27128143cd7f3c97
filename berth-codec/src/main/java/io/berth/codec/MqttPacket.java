package io.berth.codec;

/** Every MQTT control packet, as an immutable record. */
public sealed interface MqttPacket
        permits ConnectPacket,
                ConnackPacket,
                PublishPacket,
                PubackPacket,
                PubrecPacket,
                PubrelPacket,
                PubcompPacket,
                SubscribePacket,
                SubackPacket,
                UnsubscribePacket,
                UnsubackPacket,
                PingreqPacket,
                PingrespPacket,
                DisconnectPacket,
                AuthPacket {

    /** The control packet type (the high nibble of the first byte). */
    PacketType type();
}
