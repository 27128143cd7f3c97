package io.berth.client.internal;

import io.berth.codec.MqttEncoder;
import io.berth.codec.MqttPacket;
import io.berth.codec.MqttProperties;
import io.berth.codec.MqttVersion;
import io.berth.codec.PublishPacket;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import io.netty.channel.VoidChannelPromise;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The accepted connection of the moment, as the session flows see it: the channel (null while offline),
 * an epoch that counts connections, and the limits the broker announced in CONNACK. The packets of one
 * turn of the event loop are encoded into one buffer, handed to the channel and flushed at the end of the
 * turn: a burst of packets costs one pass through the pipeline and one system call, not one of each per
 * packet.
 *
 * <p>Outgoing topic aliases (5.0): while the broker's Topic Alias Maximum allows, each new topic gets the
 * next alias with its first PUBLISH on the connection, and later PUBLISHes to it carry the alias and an
 * empty topic. Aliases are never reassigned, and all are forgotten with the connection [MQTT-3.3.2-7].
 *
 * <p>Threading: owned by the client's event loop.
 */
final class Link {
    private static final Logger LOG = LoggerFactory.getLogger(Link.class);
    private static final int BATCH_INITIAL_BYTES = 4096;
    private final EventLoop loop;
    private final MqttVersion version;
    private @Nullable Channel channel;
    private int epoch;
    private int receiveMaximum;
    private long maximumPacketSize;
    private boolean flushScheduled;
    /** Packets encoded for {@link #channel} in this turn of the loop, not yet handed to it. */
    private @Nullable ByteBuf pending;

    private int topicAliasMaximum;
    private final Map<String, Integer> aliases = new HashMap<>();
    /** The properties of a PUBLISH that has none but its topic alias, by alias: the same every time. */
    private MqttProperties[] aliasOnly = new MqttProperties[0];

    Link(EventLoop loop, MqttVersion version) {
        this.loop = loop;
        this.version = version;
    }

    void up(Channel ch, int receiveMaximum, long maximumPacketSize, int topicAliasMaximum) {
        discardPending();
        this.channel = ch;
        this.epoch++;
        this.receiveMaximum = receiveMaximum;
        this.maximumPacketSize = maximumPacketSize;
        this.topicAliasMaximum = version.isV5() ? topicAliasMaximum : 0;
        this.aliases.clear();
    }

    void down() {
        discardPending();
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
    void writePublish(PublishPacket p) {
        write(withAlias(p));
    }

    /** As {@link #writePublish}, for a PUBLISH whose write the caller follows; see {@link #writeTracked}. */
    @Nullable
    ChannelFuture writePublishTracked(PublishPacket p) {
        return writeTracked(withAlias(p));
    }

    private PublishPacket withAlias(PublishPacket p) {
        if (topicAliasMaximum == 0 || channel == null) {
            return p;
        }
        Integer alias = aliases.get(p.topic());
        if (alias != null) {
            return new PublishPacket(
                    "",
                    p.qos(),
                    p.retain(),
                    p.dup(),
                    p.packetId(),
                    p.payload(),
                    aliasProperties(p.properties(), alias));
        }
        if (aliases.size() < topicAliasMaximum) {
            alias = aliases.size() + 1;
            aliases.put(p.topic(), alias);
            return new PublishPacket(
                    p.topic(),
                    p.qos(),
                    p.retain(),
                    p.dup(),
                    p.packetId(),
                    p.payload(),
                    aliasProperties(p.properties(), alias));
        }
        return p;
    }

    private MqttProperties aliasProperties(MqttProperties properties, int alias) {
        if (!properties.isEmpty()) {
            return properties.toBuilder().topicAlias(alias).build();
        }
        if (alias >= aliasOnly.length) {
            aliasOnly = Arrays.copyOf(aliasOnly, Math.max(alias + 1, aliasOnly.length * 2));
        }
        MqttProperties p = aliasOnly[alias];
        if (p == null) {
            p = MqttProperties.builder().topicAlias(alias).build();
            aliasOnly[alias] = p;
        }
        return p;
    }

    /**
     * Encodes a packet for the current channel into the bytes of this turn of the loop, which go out with
     * one write and one flush at its end; writes nothing while offline. A write that fails (the connection
     * broke) is not reported: what was in flight is sent again on the next connection.
     */
    void write(MqttPacket packet) {
        Channel ch = channel;
        if (ch == null) {
            return;
        }
        ByteBuf out = pending;
        if (out == null) {
            out = ch.alloc().ioBuffer(BATCH_INITIAL_BYTES);
            pending = out;
        }
        try {
            MqttEncoder.append(packet, version, out);
        } catch (IllegalArgumentException e) { // nothing was written: the packet cannot be encoded
            LOG.debug("{} not sent: {}", packet.type(), e.getMessage());
            return;
        }
        scheduleFlush(ch);
    }

    /**
     * Writes a packet whose write the caller follows (a QoS 0 PUBLISH, done once written), after what this
     * turn already encoded; returns null (and writes nothing) while offline.
     */
    @Nullable
    ChannelFuture writeTracked(MqttPacket packet) {
        Channel ch = channel;
        if (ch == null) {
            return null;
        }
        writePending(ch);
        ChannelFuture f = ch.write(packet);
        scheduleFlush(ch);
        return f;
    }

    /** Hands what this turn encoded to the channel and flushes it (before a packet written around the link). */
    void flush() {
        Channel ch = channel;
        if (ch != null) {
            writePending(ch);
            ch.flush();
        }
    }

    private void writePending(Channel ch) {
        ByteBuf out = pending;
        if (out != null) {
            pending = null;
            // a failed write (the channel closed meanwhile) is not an error of the connection's own
            ch.write(out, new VoidChannelPromise(ch, false));
        }
    }

    private void discardPending() {
        ByteBuf out = pending;
        if (out != null) {
            pending = null;
            out.release();
        }
    }

    private void scheduleFlush(Channel ch) {
        if (!flushScheduled) {
            flushScheduled = true;
            loop.execute(() -> {
                flushScheduled = false;
                if (channel == ch) {
                    writePending(ch);
                }
                ch.flush();
                Channel now = channel;
                if (now != null && now != ch) {
                    writePending(now);
                    now.flush();
                }
            });
        }
    }
}
