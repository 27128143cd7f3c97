package io.berth.broker.protocol;

import io.berth.codec.MqttEncoder;
import io.berth.codec.MqttVersion;
import io.berth.codec.PublishPacket;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import java.util.HashMap;
import java.util.Map;

/**
 * Outbound topic aliases of a 5.0 connection (section 3.3.2.3.4). The first PUBLISH to a topic carries
 * the topic name and a new alias; later ones carry the alias and an empty topic name. Aliases go to the
 * first topics sent, never more than {@code maximum} ([MQTT-3.1.2-26]); once all are taken, other topics
 * travel by name. A packet that the alias would make larger than the client's Maximum Packet Size is
 * sent by name too. Installed only when the client accepts aliases ([MQTT-3.1.2-27]); the mapping lives
 * and dies with the connection.
 *
 * <p>Sits on the tail side of the encoder, so every PUBLISH that a session writes to the channel passes
 * here in the order it goes on the wire.
 *
 * <p>Threading: one instance per channel, on its event loop only; plain fields, no locks.
 */
final class TopicAliasHandler extends ChannelOutboundHandlerAdapter {
  static final String NAME = "topicAliases";

  private final int maximum;
  private final long maximumPacketSize;
  private final Map<String, Integer> aliases = new HashMap<>();

  TopicAliasHandler(int maximum, long maximumPacketSize) {
    if (maximum < 1) {
      throw new IllegalArgumentException("maximum must be at least 1, is " + maximum);
    }
    this.maximum = maximum;
    this.maximumPacketSize = maximumPacketSize;
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    ctx.write(msg instanceof PublishPacket p ? alias(p) : msg, promise);
  }

  private PublishPacket alias(PublishPacket p) {
    if (p.properties().topicAlias() != null) {
      return p;
    }
    Integer alias = aliases.get(p.topic());
    if (alias != null) {
      PublishPacket aliased = withAlias(p, "", alias);
      return fits(aliased) ? aliased : p;
    }
    if (aliases.size() >= maximum) {
      return p;
    }
    PublishPacket first = withAlias(p, p.topic(), aliases.size() + 1);
    if (!fits(first)) {
      return p;
    }
    aliases.put(p.topic(), aliases.size() + 1);
    return first;
  }

  private boolean fits(PublishPacket p) {
    return maximumPacketSize == Long.MAX_VALUE
        || MqttEncoder.encodedSize(p, MqttVersion.V5) <= maximumPacketSize;
  }

  private static PublishPacket withAlias(PublishPacket p, String topic, int alias) {
    return new PublishPacket(topic, p.qos(), p.retain(), p.dup(), p.packetId(), p.payload(),
        p.properties().toBuilder().topicAlias(alias).build());
  }
}
