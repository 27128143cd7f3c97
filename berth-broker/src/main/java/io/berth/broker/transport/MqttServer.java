package io.berth.broker.transport;

import io.berth.broker.auth.Security;
import io.berth.broker.config.BrokerConfig;
import io.berth.broker.config.ListenerConfig;
import io.berth.broker.protocol.MqttConnectionHandler;
import io.berth.broker.protocol.Pipelines;
import io.berth.broker.session.Sessions;
import io.berth.codec.transport.NettyTransport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The MQTT listeners (NIO transport): plain TCP, TLS, WebSocket and WebSocket over TLS, as many as the
 * configuration lists, sharing one accept loop. Connections are served by the event loops of the session
 * shards ({@link EventLoops}): a connection starts on any of them and moves to its session's at
 * CONNECT (ADR 9).
 *
 * <p>Threading: {@link #start} and {@link #close} are called by the owner of the broker; connections
 * live on the shards' event loops.
 */
public final class MqttServer implements AutoCloseable {
    /** WebSocket subprotocols accepted: MQTT 3.1.1 and 5.0 use "mqtt", MQTT 3.1 clients "mqttv3.1". */
    static final String SUBPROTOCOLS = "mqtt,mqttv3.1";

    private static final int MAX_HANDSHAKE_REQUEST_BYTES = 16 * 1024;

    private final BrokerConfig config;
    private final Sessions sessions;
    private final Security security;
    private final List<Channel> channels = new ArrayList<>();
    private final UnauthenticatedBytes unauthenticated;
    /** Every open connection, to close them before the loops stop. */
    private final ChannelGroup connections = new DefaultChannelGroup("berth-connections", GlobalEventExecutor.INSTANCE);

    private final EventLoops loops;
    private @Nullable EventLoopGroup boss;

    public MqttServer(BrokerConfig config, Sessions sessions, Security security, EventLoops loops) {
        this.config = config;
        this.loops = loops;
        this.sessions = sessions;
        this.security = security;
        this.unauthenticated =
                new UnauthenticatedBytes(config.security().abuse().maxUnauthenticatedBytes(), security);
    }

    /**
     * Binds every listener; returns the bound addresses in the order of the configuration. Fails with a
     * clear message when a port is taken or a certificate cannot be used.
     */
    public List<InetSocketAddress> start() {
        boss = new MultiThreadIoEventLoopGroup(
                1,
                new DefaultThreadFactory("berth-accept", true),
                NettyTransport.get().ioHandlerFactory());
        List<InetSocketAddress> bound = new ArrayList<>();
        for (ListenerConfig l : config.listeners()) {
            try {
                bound.add(bind(l));
            } catch (RuntimeException e) {
                close();
                throw e;
            }
        }
        return bound;
    }

    private InetSocketAddress bind(ListenerConfig l) {
        TlsContext tls = l.transport().secure() ? new TlsContext(l, security.reloader()) : null;
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(boss, loops.group())
                .channel(NettyTransport.get().serverChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(256 * 1024, 1024 * 1024))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        connections.add(ch);
                        pipeline(ch, l, tls);
                    }
                });
        try {
            Channel channel =
                    bootstrap.bind(l.bind(), l.port()).syncUninterruptibly().channel();
            channels.add(channel);
            return (InetSocketAddress) channel.localAddress();
        } catch (Exception e) {
            String why = e instanceof BindException ? "the address is in use or not available" : e.toString();
            throw new IllegalStateException("cannot listen on " + l.describe(l.port()) + ": " + why, e);
        }
    }

    private void pipeline(SocketChannel ch, ListenerConfig l, @Nullable TlsContext tls) {
        ChannelPipeline p = ch.pipeline();
        p.addLast("addressLimits", new AddressLimitHandler(security));
        if (tls != null) {
            p.addLast("tls", tls.newHandler(ch.alloc()));
        }
        if (l.transport().webSocket()) {
            p.addLast("http", new HttpServerCodec());
            p.addLast("httpAggregator", new HttpObjectAggregator(MAX_HANDSHAKE_REQUEST_BYTES));
            p.addLast("origin", new OriginCheck(l.allowedOrigins(), security.anonymousAllowed(), security));
            p.addLast(
                    "webSocket",
                    new WebSocketServerProtocolHandler(WebSocketServerProtocolConfig.newBuilder()
                            .websocketPath(l.path())
                            .subprotocols(SUBPROTOCOLS)
                            .maxFramePayloadLength(config.maxPacketSize())
                            .handshakeTimeoutMillis(config.connectTimeoutSeconds() * 1000L)
                            .build()));
            p.addLast("webSocketDecoder", new WebSocketFrames.Decoder());
            p.addLast("webSocketEncoder", new WebSocketFrames.Encoder());
        }
        p.addLast("unauthenticatedBytes", unauthenticated.newHandler());
        Pipelines.server(p, config, new MqttConnectionHandler(config, sessions, security, l));
    }

    @Override
    public void close() {
        for (Channel channel : channels) {
            channel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        channels.clear();
        // the sessions hear of each lost connection on their loops, which stop after this (Sessions.close)
        connections.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        if (boss != null) {
            boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }
}
