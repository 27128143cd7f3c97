package io.berth.client.internal;

import io.berth.codec.MqttPacket;
import io.berth.codec.MqttVersion;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;

/**
 * The accepted connection of the moment, as the session flows see it: the channel (null while offline),
 * an epoch that counts connections, and the limits the broker announced in CONNACK. Writes are flushed
 * once per event-loop turn, so a burst of packets costs one system call.
 *
 * <p>Threading: owned by the client's event loop.
 */
final class Link {
  private final EventLoop loop;
  private final MqttVersion version;
  private Channel channel;
  private int epoch;
  private int receiveMaximum;
  private long maximumPacketSize;
  private boolean flushScheduled;

  Link(EventLoop loop, MqttVersion version) {
    this.loop = loop;
    this.version = version;
  }

  void up(Channel ch, int receiveMaximum, long maximumPacketSize) {
    this.channel = ch;
    this.epoch++;
    this.receiveMaximum = receiveMaximum;
    this.maximumPacketSize = maximumPacketSize;
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
  Channel channel() {
    return channel;
  }

  /** Writes to the current channel; returns null (and writes nothing) while offline. */
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
