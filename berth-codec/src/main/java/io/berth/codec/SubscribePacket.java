package io.berth.codec;

import java.util.List;
import java.util.Objects;

/** SUBSCRIBE. The subscription identifier, if any, is in {@code properties}. */
public record SubscribePacket(int packetId, List<TopicSubscription> subscriptions, MqttProperties properties)
        implements MqttPacket {

    public SubscribePacket {
        PacketIds.require(packetId);
        subscriptions = List.copyOf(subscriptions);
        Objects.requireNonNull(properties, "properties");
    }

    @Override
    public PacketType type() {
        return PacketType.SUBSCRIBE;
    }
}
