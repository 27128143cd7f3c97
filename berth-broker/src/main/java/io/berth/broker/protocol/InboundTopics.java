package io.berth.broker.protocol;

import io.berth.broker.auth.Security;
import io.berth.broker.config.BrokerConfig;
import io.berth.codec.PublishPacket;
import io.berth.codec.ReasonCode;
import io.netty.channel.ChannelHandlerContext;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The topic of each PUBLISH a client sends, before its session sees it: resolves inbound topic aliases
 * (5.0 section 3.3.2.3.4; the mapping lives and dies with the connection) and refuses a topic with more
 * levels than {@code max-topic-levels}. Outbound aliases are {@link TopicAliasHandler}'s.
 *
 * <p>Threading: one instance per connection, owned by its {@link MqttConnectionHandler} and on the same
 * event loop only; plain fields, no locks.
 */
final class InboundTopics {
    /** Ends the connection over a PUBLISH: with {@code reason}, {@code what} saying why. */
    interface Refusal {
        void close(ChannelHandlerContext ctx, ReasonCode reason, String what);
    }

    private final BrokerConfig config;
    private final Security security;
    private final Refusal refusal;
    private final Map<Integer, String> topicAliases = new HashMap<>();

    InboundTopics(BrokerConfig config, Security security, Refusal refusal) {
        this.config = config;
        this.security = security;
        this.refusal = refusal;
    }

    /**
     * The PUBLISH with its topic resolved and no alias; null when it was refused and the connection is
     * being closed.
     */
    @Nullable
    PublishPacket resolve(ChannelHandlerContext ctx, PublishPacket p) {
        PublishPacket resolved = resolveAlias(ctx, p);
        if (resolved != null
                && ConnectValidator.levels(resolved.topic())
                        > config.security().abuse().maxTopicLevels()) {
            security.limitHit("max-topic-levels");
            refusal.close(ctx, ReasonCode.TOPIC_NAME_INVALID, "topic with too many levels");
            return null;
        }
        return resolved;
    }

    /** Resolves an inbound topic alias (5.0 section 3.3.2.3.4); null when the connection was closed. */
    private @Nullable PublishPacket resolveAlias(ChannelHandlerContext ctx, PublishPacket p) {
        Integer alias = p.properties().topicAlias();
        if (alias == null) {
            return p;
        }
        if (alias == 0 || alias > config.topicAliasMaximum()) {
            // [MQTT-3.3.2-9] [MQTT-3.3.2-10]
            refusal.close(ctx, ReasonCode.TOPIC_ALIAS_INVALID, "topic alias " + alias + " out of range");
            return null;
        }
        String topic = p.topic();
        if (topic.isEmpty()) {
            topic = topicAliases.get(alias);
            if (topic == null) {
                refusal.close(ctx, ReasonCode.PROTOCOL_ERROR, "unknown topic alias " + alias);
                return null;
            }
        } else {
            topicAliases.put(alias, topic);
        }
        return new PublishPacket(
                topic,
                p.qos(),
                p.retain(),
                p.dup(),
                p.packetId(),
                p.payload(),
                p.properties().toBuilder().topicAlias(null).build());
    }
}
