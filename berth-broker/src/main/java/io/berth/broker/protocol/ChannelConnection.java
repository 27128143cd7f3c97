package io.berth.broker.protocol;

import io.berth.broker.session.ClientConnection;
import io.berth.codec.DisconnectPacket;
import io.berth.codec.MqttPacket;
import io.berth.codec.MqttVersion;
import io.berth.codec.ReasonCode;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;

/**
 * A {@link ClientConnection} over a Netty channel.
 *
 * <p>Threading: immutable; Netty makes writes from other threads safe by running them on the event loop.
 */
final class ChannelConnection implements ClientConnection {
  private final Channel channel;
  private final String clientId;
  private final MqttVersion version;
  private final int sendWindow;
  private final long maximumPacketSize;

  ChannelConnection(Channel channel, String clientId, MqttVersion version, int sendWindow,
      long maximumPacketSize) {
    this.channel = channel;
    this.clientId = clientId;
    this.version = version;
    this.sendWindow = sendWindow;
    this.maximumPacketSize = maximumPacketSize;
  }

  @Override
  public String clientId() {
    return clientId;
  }

  @Override
  public MqttVersion version() {
    return version;
  }

  @Override
  public int sendWindow() {
    return sendWindow;
  }

  @Override
  public long maximumPacketSize() {
    return maximumPacketSize;
  }

  @Override
  public void send(MqttPacket packet) {
    channel.write(packet, channel.voidPromise());
  }

  @Override
  public void flush() {
    channel.flush();
  }

  @Override
  public void close(ReasonCode reason) {
    closeChannel(channel, version, reason);
  }

  /** On 5.0 sends DISCONNECT with {@code reason} first; then closes. */
  static void closeChannel(Channel channel, MqttVersion version, ReasonCode reason) {
    if (version != null && version.isV5() && channel.isActive()) {
      channel.writeAndFlush(DisconnectPacket.of(reason)).addListener(ChannelFutureListener.CLOSE);
    } else {
      channel.close();
    }
  }

  @Override
  public boolean isWritable() {
    return channel.isWritable();
  }

  @Override
  public String describe() {
    return "client '" + clientId + "' at " + channel.remoteAddress();
  }
}
