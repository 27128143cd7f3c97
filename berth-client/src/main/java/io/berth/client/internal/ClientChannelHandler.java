package io.berth.client.internal;

import io.berth.codec.ConnackPacket;
import io.berth.codec.DecodeFailure;
import io.berth.codec.DisconnectPacket;
import io.berth.codec.MqttPacket;
import io.berth.codec.PacketType;
import io.berth.codec.PingreqPacket;
import io.berth.codec.PublishPacket;
import io.berth.codec.ReasonCode;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of a client channel: sends CONNECT, waits for CONNACK (within the connect timeout),
 * keeps the connection alive with PINGREQ, and hands every other packet to the session. Bad input from
 * the broker (a {@link DecodeFailure} from the decoder, or a packet a client must never get) ends the
 * connection with the matching reason code: a DISCONNECT carrying it on 5.0, a plain close on 3.1.1. The
 * connector then reconnects.
 *
 * <p>Threading: one instance per channel, on the client's event loop.
 */
final class ClientChannelHandler extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(ClientChannelHandler.class);

  private final Connector connector;
  private final ClientSession session;
  private final ClientConfig config;
  private boolean accepted;
  private boolean pingOutstanding;
  private ScheduledFuture<?> timer;
  private String cause = "connection closed";

  ClientChannelHandler(Connector connector, ClientSession session, ClientConfig config) {
    this.connector = connector;
    this.session = session;
    this.config = config;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    ctx.writeAndFlush(connector.connectPacket());
    timer = ctx.executor().schedule(() -> {
      cause = "no CONNACK within " + config.connectTimeout();
      ctx.close();
    }, config.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
    ctx.fireChannelActive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof DecodeFailure f) {
      fail(ctx, f.reasonCode(), "malformed packet from broker: " + f.description());
      return;
    }
    MqttPacket packet = (MqttPacket) msg;
    if (!accepted) {
      if (!(packet instanceof ConnackPacket connack)) {
        fail(ctx, ReasonCode.PROTOCOL_ERROR, "expected CONNACK, got " + packet.type());
      } else if (connack.reasonCode().isError()) {
        cause = "connection refused: " + connack.reasonCode();
        connector.refused(ctx.channel(), connack.reasonCode());
        ctx.close();
      } else {
        accepted = true;
        timer.cancel(false);
        startKeepAlive(ctx, connack);
        connector.accepted(ctx.channel(), connack);
      }
      return;
    }
    if (packet.type() == PacketType.PINGRESP) {
      pingOutstanding = false;
    } else if (packet instanceof DisconnectPacket d) {
      cause = "broker sent DISCONNECT " + d.reasonCode();
      ctx.close();
    } else if (packet instanceof PublishPacket p && p.properties().topicAlias() != null) {
      fail(ctx, ReasonCode.TOPIC_ALIAS_INVALID, "topic alias although the client allows none");
    } else if (!session.onPacket(packet)) {
      fail(ctx, ReasonCode.PROTOCOL_ERROR, "unexpected " + packet.type() + " from broker");
    }
  }

  private void startKeepAlive(ChannelHandlerContext ctx, ConnackPacket connack) {
    Integer serverKeepAlive = connack.properties().serverKeepAlive();
    int seconds = serverKeepAlive != null ? serverKeepAlive : config.keepAliveSeconds();
    if (seconds == 0) {
      return;
    }
    timer = ctx.executor().scheduleAtFixedRate(() -> {
      if (pingOutstanding) {
        cause = "no PINGRESP within the keep alive of " + seconds + " s";
        ctx.close();
      } else {
        pingOutstanding = true;
        ctx.writeAndFlush(PingreqPacket.INSTANCE);
      }
    }, seconds, seconds, TimeUnit.SECONDS);
  }

  private void fail(ChannelHandlerContext ctx, ReasonCode reasonCode, String description) {
    LOG.debug("{}: {}; closing with {}", config.clientId(), description, reasonCode);
    cause = description;
    if (config.version().isV5()) {
      ctx.writeAndFlush(DisconnectPacket.of(reasonCode)).addListener(ChannelFutureListener.CLOSE);
    } else {
      ctx.close();
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (timer != null) {
      timer.cancel(false);
    }
    connector.closed(ctx.channel(), cause);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable e) {
    LOG.debug("{}: connection error", config.clientId(), e);
    cause = e.toString();
    ctx.close();
  }
}
