package io.berth.broker.transport;

import io.berth.broker.config.BrokerConfig;
import io.berth.broker.protocol.MqttConnectionHandler;
import io.berth.broker.protocol.Pipelines;
import io.berth.broker.session.Sessions;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The MQTT listener over TCP (NIO transport).
 *
 * <p>Threading: {@link #start} and {@link #close} are called by the owner of the broker; connections
 * live on the worker event loops.
 */
public final class MqttServer implements AutoCloseable {
  private final BrokerConfig config;
  private final Sessions sessions;
  private EventLoopGroup boss;
  private EventLoopGroup workers;
  private Channel channel;

  public MqttServer(BrokerConfig config, Sessions sessions) {
    this.config = config;
    this.sessions = sessions;
  }

  /** Binds the listener; returns the bound address. Fails with a clear message when the port is taken. */
  public InetSocketAddress start() {
    boss = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("berth-accept", true),
        NioIoHandler.newFactory());
    workers = new MultiThreadIoEventLoopGroup(0, new DefaultThreadFactory("berth-io", true),
        NioIoHandler.newFactory());
    ServerBootstrap bootstrap = new ServerBootstrap()
        .group(boss, workers)
        .channel(NioServerSocketChannel.class)
        .option(ChannelOption.SO_BACKLOG, 1024)
        .option(ChannelOption.SO_REUSEADDR, true)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(256 * 1024, 1024 * 1024))
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            Pipelines.server(ch.pipeline(), config, new MqttConnectionHandler(config, sessions));
          }
        });
    try {
      channel = bootstrap.bind(config.bind(), config.port()).syncUninterruptibly().channel();
    } catch (Exception e) {
      close();
      String why = e instanceof BindException ? "the address is in use or not available" : e.toString();
      throw new IllegalStateException(
          "cannot listen on " + config.bind() + ":" + config.port() + ": " + why, e);
    }
    return (InetSocketAddress) channel.localAddress();
  }

  @Override
  public void close() {
    if (channel != null) {
      channel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
    if (workers != null) {
      workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
    if (boss != null) {
      boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
  }
}
