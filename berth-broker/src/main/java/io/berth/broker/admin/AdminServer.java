package io.berth.broker.admin;

import io.berth.broker.cluster.GroupStatus;
import io.berth.broker.config.BrokerConfig;
import io.berth.broker.metrics.BrokerMetrics;
import io.berth.broker.session.SessionAdmin;
import io.berth.codec.transport.NettyTransport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The admin HTTP listener on Netty: the JSON API ({@code /sessions...}, {@code /overview},
 * {@code /events}, {@code /cluster}), {@code /metrics} (Prometheus text), and the web console's files at {@code /}.
 *
 * <p>It cannot be tied up by slow or hostile clients: the request line and headers are capped at
 * {@link #MAX_HEADER_BYTES}, a body at {@link #MAX_BODY} (413), a request must arrive whole within
 * {@link RequestDeadlineHandler#REQUEST_SECONDS} of its first byte and an idle connection is closed after
 * {@link #IDLE_SECONDS}, at most {@link #MAX_CONNECTIONS} connections are open at once, and parsing
 * happens on the listener's own event loop (not the MQTT loops) without blocking, so an unfinished
 * request holds no thread. Answers are computed on a small request pool.
 *
 * <p>A token is always required for data ({@link AdminToken}). Unless the operator configured one, the
 * listener serves only on a loopback address: {@link #start} refuses any other bind address.
 *
 * <p>Threading: {@link #start} and {@link #close} from the broker's start/close; connections on one
 * event loop thread; answers on up to {@link #POOL_THREADS} request threads.
 */
public final class AdminServer implements AutoCloseable {
    /** Largest request body read: purge requests are a few dozen bytes. */
    static final int MAX_BODY = 64 * 1024;

    static final int MAX_HEADER_BYTES = 16 * 1024;
    static final int MAX_INITIAL_LINE = 8 * 1024;
    static final int MAX_CONNECTIONS = 64;
    static final int IDLE_SECONDS = 30;
    static final int POOL_THREADS = 4;

    private final AdminToken token;
    private final AtomicInteger open = new AtomicInteger();
    /** The open connections: closed before their loops stop, so that each pipeline hears of it. */
    private final ChannelGroup connections = new DefaultChannelGroup("berth-admin", GlobalEventExecutor.INSTANCE);

    private @Nullable EventLoopGroup group;
    private @Nullable ThreadPoolExecutor pool;
    private @Nullable ConsoleResource console;
    private @Nullable Channel channel;

    private AdminServer(AdminToken token) {
        this.token = token;
    }

    /**
     * Binds {@code admin-bind:admin-port} and starts serving.
     *
     * @throws IllegalStateException when the address is not loopback and the operator set no token, the
     *     token cannot be read or written, or the address cannot be bound
     */
    public static AdminServer start(BrokerConfig config, SessionAdmin admin, BrokerMetrics metrics) {
        return start(config, admin, metrics, null);
    }

    /**
     * As {@link #start(BrokerConfig, SessionAdmin, BrokerMetrics)}, with {@code GET /cluster} answered
     * from {@code cluster} (null on a single node: 404).
     */
    public static AdminServer start(
            BrokerConfig config, SessionAdmin admin, BrokerMetrics metrics, @Nullable Supplier<GroupStatus> cluster) {
        AdminServer s = new AdminServer(AdminToken.resolve(config));
        try {
            s.listen(config, admin, metrics, cluster);
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
        return s;
    }

    private void listen(
            BrokerConfig config, SessionAdmin admin, BrokerMetrics metrics, @Nullable Supplier<GroupStatus> cluster) {
        String bind = config.adminBind();
        InetAddress address;
        try {
            address = InetAddress.getByName(bind);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("admin-bind: cannot resolve '" + bind + "'");
        }
        if (token.source() == AdminToken.Source.DATA_FOLDER && !address.isLoopbackAddress()) {
            throw new IllegalStateException("admin-bind " + bind + " is not a loopback address and no admin-token "
                    + "is set: set admin-token-file (or admin-token), bind the admin API to 127.0.0.1, or turn it "
                    + "off with admin-port -1");
        }
        AtomicInteger n = new AtomicInteger();
        pool = new ThreadPoolExecutor(
                POOL_THREADS, POOL_THREADS, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(MAX_CONNECTIONS), r -> {
                    Thread t = new Thread(r, "berth-admin-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        pool.allowCoreThreadTimeOut(true);
        group = new MultiThreadIoEventLoopGroup(
                1,
                new DefaultThreadFactory("berth-admin-io", true),
                NettyTransport.get().ioHandlerFactory());
        console = new ConsoleResource(metrics, group.next());
        // connections accepted before the handler exists (the port is known only once bound) are closed
        Initializer initializer = new Initializer();
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(NettyTransport.get().serverChannel())
                .option(ChannelOption.SO_BACKLOG, 128)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(initializer);
        try {
            channel = bootstrap
                    .bind(address, config.adminPort())
                    .syncUninterruptibly()
                    .channel();
        } catch (Exception e) {
            String why = e instanceof BindException ? "the address is in use or not available" : e.toString();
            throw new IllegalStateException(
                    "admin API cannot listen on " + bind + ":" + config.adminPort() + ": " + why
                            + " (set admin-port to another port, 0 for any free one, or -1 for none)",
                    e);
        }
        initializer.handler = new AdminHttpHandler(
                new RequestGuard(bind, address().getPort()),
                token.value(),
                new SessionResource(admin),
                console,
                new ClusterResource(cluster),
                metrics,
                pool);
    }

    /** Sets up each connection; refuses connections above the cap by closing them. */
    private final class Initializer extends ChannelInitializer<SocketChannel> {
        volatile @Nullable AdminHttpHandler handler;

        @Override
        protected void initChannel(SocketChannel ch) {
            AdminHttpHandler h = handler;
            if (h == null || open.incrementAndGet() > MAX_CONNECTIONS) {
                if (h != null) {
                    open.decrementAndGet();
                }
                ch.close();
                return;
            }
            ch.closeFuture().addListener(f -> open.decrementAndGet());
            connections.add(ch);
            ChannelPipeline p = ch.pipeline();
            p.addLast("idle", new IdleStateHandler(0, 0, IDLE_SECONDS));
            p.addLast("deadline", new RequestDeadlineHandler(RequestDeadlineHandler.REQUEST_SECONDS * 1000));
            p.addLast("http", new HttpServerCodec(MAX_INITIAL_LINE, MAX_HEADER_BYTES, 8192));
            p.addLast("aggregator", new JsonRefusingAggregator());
            p.addLast("admin", h);
        }
    }

    /** Answers an oversized body with the API's JSON 413 and closes the connection. */
    private static final class JsonRefusingAggregator extends HttpObjectAggregator {
        JsonRefusingAggregator() {
            super(MAX_BODY);
        }

        @Override
        protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
            AdminHttpHandler.write(
                    ctx,
                    Answer.error(new AdminError(413, "request body larger than " + MAX_BODY + " bytes")),
                    false,
                    false);
        }
    }

    /** The bound address. */
    public InetSocketAddress address() {
        Channel c = channel;
        if (c == null) {
            throw new IllegalStateException("the admin server is closed");
        }
        return (InetSocketAddress) c.localAddress();
    }

    /** The token the listener requires, and where it is kept. */
    public AdminToken token() {
        return token;
    }

    /** Stops listening, closes every connection and ends the request threads; idempotent. */
    @Override
    public void close() {
        if (channel != null) {
            channel.close().syncUninterruptibly();
            channel = null;
        }
        // closed here, each connection's handlers see it end and release what they hold (a request body
        // half received); a loop that stops with the connection still open closes the socket but runs no
        // handler any more
        connections.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        if (console != null) {
            console.close();
            console = null;
        }
        if (group != null) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
            group = null;
        }
        if (pool != null) {
            pool.shutdownNow();
            try {
                pool.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            pool = null;
        }
    }
}
