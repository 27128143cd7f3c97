package io.berth.bench.client;

import io.berth.codec.ConnackPacket;
import io.berth.codec.ConnectPacket;
import io.berth.codec.DisconnectPacket;
import io.berth.codec.MqttDecoder;
import io.berth.codec.MqttEncoder;
import io.berth.codec.MqttPacket;
import io.berth.codec.MqttProperties;
import io.berth.codec.MqttVersion;
import io.berth.codec.PubackPacket;
import io.berth.codec.PubcompPacket;
import io.berth.codec.PublishPacket;
import io.berth.codec.PubrecPacket;
import io.berth.codec.PubrelPacket;
import io.berth.codec.QoS;
import io.berth.codec.SubackPacket;
import io.berth.codec.SubscribePacket;
import io.berth.codec.TopicSubscription;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * A lean MQTT client for load: Berth's own codec over one Netty channel, no retries, no queues of its
 * own. It answers the broker's QoS 1/2 deliveries (PUBACK, PUBREC/PUBCOMP) at once and hands each
 * delivery to a {@link Listener}; it sends QoS 1/2 publishes under a window of unacknowledged packet ids
 * that the caller watches through {@link #inFlight()}. Writes are flushed when a read burst ends, or by
 * {@link #flush()}.
 *
 * <p>Threading: every method but {@link #connect} runs on the channel's event loop ({@link #eventLoop()});
 * plain fields.
 */
public final class LoadClient extends ChannelInboundHandlerAdapter {
    /** Session Expiry Interval a persistent 5.0 session asks for: never expires. */
    public static final long NEVER_EXPIRES = 0xFFFF_FFFFL;

    private static final int MAX_PACKET_SIZE = 16 * 1024 * 1024;
    private static final int PACKET_IDS = 65_536;

    /** Receives what the broker sends and the acknowledgements of this client's publishes. */
    public interface Listener {
        /** A PUBLISH arrived (already answered). */
        default void delivered(PublishPacket publish) {}

        /** A QoS 1 publish got its PUBACK or a QoS 2 publish its PUBCOMP; {@code sentNanos} from send time. */
        default void acknowledged(long sentNanos, boolean failed) {}

        /** The connection closed. */
        default void closed() {}
    }

    private final ConnectPacket connect;
    private final Listener listener;
    private final CompletableFuture<ConnackPacket> connack = new CompletableFuture<>();
    private final CompletableFuture<Void> closeFuture = new CompletableFuture<>();
    private final long[] sentAt = new long[PACKET_IDS];
    private final boolean[] inUse = new boolean[PACKET_IDS];
    private @Nullable CompletableFuture<SubackPacket> suback;
    private @Nullable Channel channel;
    private int nextId = 1;
    private int inFlight;
    private boolean unflushed;
    private long flushes;

    private LoadClient(ConnectPacket connect, Listener listener) {
        this.connect = connect;
        this.listener = listener;
    }

    /**
     * Connects and sends CONNECT; completes with the client once CONNACK arrived (a refusal completes it
     * exceptionally). A persistent session is {@code cleanStart=false} and, on 5.0, never expires.
     */
    public static CompletableFuture<LoadClient> connect(
            EventLoopGroup group,
            String host,
            int port,
            MqttVersion version,
            String clientId,
            boolean cleanStart,
            Listener listener) {
        MqttProperties props = version.isV5() && !cleanStart
                ? MqttProperties.builder().sessionExpiryInterval(NEVER_EXPIRES).build()
                : MqttProperties.EMPTY;
        ConnectPacket packet = new ConnectPacket(version, clientId, cleanStart, 0, null, null, null, props);
        LoadClient client = new LoadClient(packet, listener);
        Bootstrap b = new Bootstrap()
                .group(group)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5_000)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline()
                                .addLast(
                                        MqttDecoder.forClient(version, MAX_PACKET_SIZE),
                                        new MqttEncoder(version),
                                        client);
                    }
                });
        ChannelFuture f = b.connect(host, port);
        f.addListener(done -> {
            if (!done.isSuccess()) {
                client.connack.completeExceptionally(done.cause());
            }
        });
        return client.connack.thenApply(c -> client);
    }

    /** The channel, set when it became active, which is before CONNACK completes {@link #connect}. */
    private Channel channel() {
        Channel c = channel;
        if (c == null) {
            throw new IllegalStateException("not connected yet");
        }
        return c;
    }

    public EventLoop eventLoop() {
        return channel().eventLoop();
    }

    /** QoS 1/2 publishes sent and not yet acknowledged. */
    public int inFlight() {
        return inFlight;
    }

    /** How many unacknowledged QoS 1/2 publishes the broker accepts (its Receive Maximum on 5.0). */
    public int sendQuota() {
        Integer max = connack.join().properties().receiveMaximum();
        return max == null ? PACKET_IDS - 1 : max;
    }

    public boolean sessionPresent() {
        return connack.join().sessionPresent();
    }

    public boolean isOpen() {
        return channel().isActive();
    }

    /** Subscribes to one filter; completes with the SUBACK. */
    public CompletableFuture<SubackPacket> subscribe(String filter, QoS qos) {
        CompletableFuture<SubackPacket> f = new CompletableFuture<>();
        channel().eventLoop().execute(() -> {
            suback = f;
            channel()
                    .writeAndFlush(
                            new SubscribePacket(1, List.of(TopicSubscription.of(filter, qos)), MqttProperties.EMPTY));
        });
        return f;
    }

    /** Writes a publish (not flushed); QoS 1/2 take a packet id and count in {@link #inFlight()}. */
    public void publish(String topic, QoS qos, byte[] payload, long sentNanos) {
        int id = 0;
        if (qos != QoS.AT_MOST_ONCE) {
            id = takeId();
            sentAt[id] = sentNanos;
        }
        channel()
                .write(
                        new PublishPacket(topic, qos, false, false, id, payload, MqttProperties.EMPTY),
                        channel().voidPromise());
        unflushed = true;
    }

    public void flush() {
        if (unflushed) {
            unflushed = false;
            flushes++;
            channel().flush();
        }
    }

    /** Flushes that had something to send: the writes this client made to its socket, about. */
    public long flushes() {
        return flushes;
    }

    /** Sends DISCONNECT and closes; completes when the channel is closed. */
    public CompletableFuture<Void> disconnect() {
        channel().eventLoop().execute(() -> {
            if (channel().isActive()) {
                channel()
                        .writeAndFlush(DisconnectPacket.NORMAL)
                        .addListener(f -> channel().close());
            }
        });
        return closeFuture;
    }

    /** Closes the socket without DISCONNECT. */
    public CompletableFuture<Void> abort() {
        channel().close();
        return closeFuture;
    }

    private int takeId() {
        if (inFlight >= PACKET_IDS - 1) {
            throw new IllegalStateException("no packet identifier free");
        }
        while (inUse[nextId]) {
            nextId = nextId == PACKET_IDS - 1 ? 1 : nextId + 1;
        }
        int id = nextId;
        inUse[id] = true;
        inFlight++;
        nextId = nextId == PACKET_IDS - 1 ? 1 : nextId + 1;
        return id;
    }

    private void release(int id, boolean failed) {
        if (inUse[id]) {
            inUse[id] = false;
            inFlight--;
            listener.acknowledged(sentAt[id], failed);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        ctx.writeAndFlush(connect);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof MqttPacket packet)) {
            ctx.close();
            connack.completeExceptionally(new IllegalStateException("undecodable input: " + msg));
            return;
        }
        switch (packet.type()) {
            case CONNACK -> {
                ConnackPacket c = (ConnackPacket) packet;
                if (c.reasonCode().isError()) {
                    connack.completeExceptionally(new IllegalStateException("CONNACK " + c.reasonCode()));
                    ctx.close();
                } else {
                    connack.complete(c);
                }
            }
            case PUBLISH -> {
                PublishPacket p = (PublishPacket) packet;
                switch (p.qos()) {
                    case AT_LEAST_ONCE -> write(ctx, PubackPacket.of(p.packetId()));
                    case EXACTLY_ONCE -> write(ctx, PubrecPacket.of(p.packetId()));
                    default -> {}
                }
                listener.delivered(p);
            }
            case PUBACK -> {
                PubackPacket a = (PubackPacket) packet;
                release(a.packetId(), a.reasonCode().isError());
            }
            case PUBREC -> {
                PubrecPacket r = (PubrecPacket) packet;
                if (r.reasonCode().isError()) {
                    release(r.packetId(), true);
                } else {
                    write(ctx, PubrelPacket.of(r.packetId()));
                }
            }
            case PUBREL -> write(ctx, PubcompPacket.of(((PubrelPacket) packet).packetId()));
            case PUBCOMP -> release(((PubcompPacket) packet).packetId(), false);
            case SUBACK -> {
                CompletableFuture<SubackPacket> f = suback;
                suback = null;
                if (f != null) {
                    f.complete((SubackPacket) packet);
                }
            }
            default -> {}
        }
    }

    private void write(ChannelHandlerContext ctx, MqttPacket packet) {
        ctx.write(packet, ctx.voidPromise());
        unflushed = true;
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        flush();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        connack.completeExceptionally(new IllegalStateException("connection closed before CONNACK"));
        if (suback != null) {
            suback.completeExceptionally(new IllegalStateException("connection closed before SUBACK"));
        }
        listener.closed();
        closeFuture.complete(null);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        System.err.println("berth-bench: connection closed after " + cause);
        ctx.close();
    }
}
