package io.berth.client.internal;

import io.berth.codec.MqttPacket;
import io.berth.codec.MqttVersion;
import io.berth.codec.PublishPacket;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The accepted connection of the moment, as the session flows see it: the channel (null while offline),
 * an epoch that counts connections, and the limits the broker announced in CONNACK. Writes are flushed
 * once per event-loop turn, so a burst of packets costs one system call.
 *
 * <p>Outgoing topic aliases (5.0): while the broker's Topic Alias Maximum allows, each new topic gets the
 * next alias with its first PUBLISH on the connection, and later PUBLISHes to it carry the alias and an
 * empty topic. Aliases are never reassigned, and all are forgotten with the connection [MQTT-3.3.2-7].
 *
 * <p>Threading: owned by the client's event loop.
 */
final class Link {
    private final EventLoop loop;
    private final MqttVersion version;
    private @Nullable Channel channel;
    private int epoch;
    private int receiveMaximum;
    private long maximumPacketSize;
    private boolean flushScheduled;
    private int topicAliasMaximum;
    private final Map<String, Integer> aliases = new HashMap<>();

    Link(EventLoop loop, MqttVersion version) {
        this.loop = loop;
        this.version = version;
    }

    void up(Channel ch, int receiveMaximum, long maximumPacketSize, int topicAliasMaximum) {
        this.channel = ch;
        this.epoch++;
        this.receiveMaximum = receiveMaximum;
        this.maximumPacketSize = maximumPacketSize;
        this.topicAliasMaximum = version.isV5() ? topicAliasMaximum : 0;
        this.aliases.clear();
    }

    void down() {
        channel = null;
    }

    boolean isUp() {
        return channel != null;
    }

    int epoch() {
        return epoch;
    }

    int receiveMaximum() {
        return receiveMaximum;
    }

    long maximumPacketSize() {
        return maximumPacketSize;
    }

    MqttVersion version() {
        return version;
    }

    /** The current channel, or null; acks are written to the channel they belong to. */
    @Nullable
    Channel channel() {
        return channel;
    }

    /** Writes a PUBLISH to the current channel, with a topic alias when the broker allows one. */
    @Nullable
    ChannelFuture writePublish(PublishPacket p) {
        if (topicAliasMaximum == 0 || channel == null) {
            return write(p);
        }
        Integer alias = aliases.get(p.topic());
        if (alias != null) {
            return write(new PublishPacket(
                    "",
                    p.qos(),
                    p.retain(),
                    p.dup(),
                    p.packetId(),
                    p.payload(),
                    p.properties().toBuilder().topicAlias(alias).build()));
        }
        if (aliases.size() < topicAliasMaximum) {
            alias = aliases.size() + 1;
            aliases.put(p.topic(), alias);
            return write(new PublishPacket(
                    p.topic(),
                    p.qos(),
                    p.retain(),
                    p.dup(),
                    p.packetId(),
                    p.payload(),
                    p.properties().toBuilder().topicAlias(alias).build()));
        }
        return write(p);
    }

    /** Writes to the current channel; returns null (and writes nothing) while offline. */
    @Nullable
    ChannelFuture write(MqttPacket packet) {
        Channel ch = channel;
        if (ch == null) {
            return null;
        }
        ChannelFuture f = ch.write(packet);
        if (!flushScheduled) {
            flushScheduled = true;
            loop.execute(() -> {
                flushScheduled = false;
                ch.flush();
                Channel now = channel;
                if (now != null && now != ch) {
                    now.flush();
                }
            });
        }
        return f;
    }
}
