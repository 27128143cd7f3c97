package io.berth.client.internal;

import io.berth.client.ConnectResult;
import io.berth.client.Disconnect;
import io.berth.client.Message;
import io.berth.client.MessageHandler;
import io.berth.client.MessageStream;
import io.berth.client.MqttClient;
import io.berth.client.PublishFuture;
import io.berth.client.Subscription;
import io.berth.client.store.StoredSession;
import io.berth.codec.MqttEncoder;
import io.berth.codec.MqttProperties;
import io.berth.codec.PublishPacket;
import io.berth.codec.QoS;
import io.berth.codec.Topics;
import io.berth.codec.transport.NettyTransport;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link MqttClient} implementation: validates calls on the caller's thread and hands them to the
 * client's event loop, which owns the {@link ClientSession} and the {@link Connector}.
 *
 * <p>Threading: a thread-safe facade. Each client has its own single-thread event loop (all session state
 * and the connection) and its own callback thread ({@link Notifier}).
 */
public final class DefaultMqttClient implements MqttClient {
    private static final Logger LOG = LoggerFactory.getLogger(DefaultMqttClient.class);
    /** The largest remaining length MQTT can express. */
    private static final long MAX_REMAINING_LENGTH = 268_435_455L;
    /** A Topic Alias property: identifier byte and two bytes of value. */
    private static final int TOPIC_ALIAS_BYTES = 3;

    private final ClientConfig config;
    private final EventLoopGroup group;
    private final EventLoop loop;
    private final Notifier notifier;
    private final ClientSession session;
    private final Connector connector;
    private final Requests requests;
    private volatile boolean closed;

    /**
     * Loads the session store and prepares the client; nothing is connected yet.
     *
     * @throws UncheckedIOException when the store cannot be read
     */
    public DefaultMqttClient(ClientConfig config) {
        this.config = config;
        StoredSession stored;
        try {
            stored = config.store().load();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load the client session store", e);
        }
        this.group = new MultiThreadIoEventLoopGroup(
                1,
                new DefaultThreadFactory("berth-client", true),
                NettyTransport.get().ioHandlerFactory());
        this.loop = group.next();
        this.notifier = new Notifier(config);
        this.session = new ClientSession(config, loop, notifier);
        this.connector = new Connector(config, loop, session);
        this.requests = new Requests(this);
        loop.execute(() -> session.restore(stored));
    }

    @Override
    public CompletableFuture<ConnectResult> connect() {
        checkOpen();
        CompletableFuture<ConnectResult> result = new CompletableFuture<>();
        loop.execute(() -> connector.start().whenComplete((r, e) -> {
            if (e == null) {
                result.complete(r);
            } else {
                result.completeExceptionally(e);
            }
        }));
        return result;
    }

    @Override
    public PublishFuture publish(Message message) {
        Objects.requireNonNull(message, "message");
        checkOpen();
        if (!Topics.isValidTopicName(message.topic())) {
            throw new IllegalArgumentException("invalid topic name '" + message.topic()
                    + "': it must be 1..65535 UTF-8 bytes without wildcards (+, #) or U+0000");
        }
        long size = packetSize(message);
        long limit = Math.min(ClientSession.MAX_PACKET_SIZE, session.brokerMaximumPacketSize());
        if (size > limit) {
            throw new IllegalArgumentException("message of " + message.payload().length
                    + " payload bytes exceeds the maximum packet size of " + limit + " bytes");
        }
        if (message.payload().length > config.maxBufferedBytes()) {
            throw new IllegalArgumentException("message of " + message.payload().length
                    + " payload bytes exceeds the send buffer of " + config.maxBufferedBytes() + " bytes");
        }
        PublishFuture future = new PublishFuture();
        loop.execute(() -> session.publish(message, future));
        return future;
    }

    /**
     * The PUBLISH's size on the wire with a packet identifier and room for a topic alias, in bytes. The
     * estimate skips encoding the payload when it clearly fits.
     */
    private long packetSize(Message m) {
        long topicBytes = m.topic().length() * 3L;
        long rough = m.payload().length + topicBytes + 16L;
        if (m.properties().isEmpty() && rough < 16_384) {
            return rough;
        }
        if (topicBytes > 65_535 * 3L || rough > MAX_REMAINING_LENGTH + 5) {
            return rough;
        }
        MqttProperties p = WireProperties.toWire(m.properties(), m.properties().messageExpiry() == null ? null : 1L);
        PublishPacket packet = new PublishPacket(
                m.topic(), m.qos(), m.retain(), false, m.qos() == QoS.AT_MOST_ONCE ? 0 : 1, m.payload(), p);
        return MqttEncoder.encodedSize(packet, config.version()) + TOPIC_ALIAS_BYTES;
    }

    @Override
    public CompletableFuture<QoS> subscribe(String filter, QoS qos, MessageHandler handler) {
        Objects.requireNonNull(filter, "filter");
        Objects.requireNonNull(qos, "qos");
        return subscribe(Subscription.of(filter, qos), handler);
    }

    @Override
    public CompletableFuture<QoS> subscribe(Subscription subscription, MessageHandler handler) {
        Objects.requireNonNull(subscription, "subscription");
        Objects.requireNonNull(handler, "handler");
        checkOpen();
        if (!Topics.isValidTopicFilter(subscription.filter())) {
            throw new IllegalArgumentException("invalid topic filter '" + subscription.filter()
                    + "': '#' only last and alone in its level, '+' alone in its level");
        }
        CompletableFuture<QoS> done = new CompletableFuture<>();
        loop.execute(() -> session.subscribe(subscription, handler, done));
        return done;
    }

    @Override
    public CompletableFuture<Message> request(Message request, Duration timeout) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(timeout, "timeout");
        checkOpen();
        if (!config.version().isV5()) {
            throw new IllegalArgumentException("request/response needs MQTT 5");
        }
        return requests.request(request, timeout);
    }

    @Override
    public MessageStream subscribeStream(String filter, QoS qos) {
        MessageStream stream = new MessageStream(s -> unsubscribe(filter));
        subscribe(filter, qos, stream).join();
        return stream;
    }

    @Override
    public CompletableFuture<Void> unsubscribe(String filter) {
        Objects.requireNonNull(filter, "filter");
        checkOpen();
        if (!Topics.isValidTopicFilter(filter)) {
            throw new IllegalArgumentException("invalid topic filter '" + filter + "'");
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        loop.execute(() -> session.unsubscribe(filter, done));
        return done;
    }

    @Override
    public boolean isConnected() {
        return session.isConnected();
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("client " + config.clientId() + " is closed");
        }
    }

    @Override
    public void close() {
        close(Disconnect.NORMAL);
    }

    @Override
    public void close(Disconnect disconnect) {
        Objects.requireNonNull(disconnect, "disconnect");
        if (disconnect.sessionExpiry() != null
                && config.sessionExpirySeconds() == 0
                && !disconnect.sessionExpiry().isZero()) {
            throw new IllegalArgumentException(
                    "a DISCONNECT cannot raise the Session Expiry Interval from zero [MQTT-3.14.2-2]");
        }
        if (closed) {
            return;
        }
        closed = true;
        requests.close();
        CompletableFuture<Void> disconnected = new CompletableFuture<>();
        loop.execute(() -> connector.close(disconnect).whenComplete((v, e) -> {
            session.close();
            disconnected.complete(null);
        }));
        try {
            disconnected.get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.debug("{}: disconnect did not finish: {}", config.clientId(), e.toString());
        }
        // the store first: it writes and forces what is pending while the loop still runs, so the loop
        // completes stored() of the last messages (a QoS 1 future may have completed before its stored())
        try {
            config.store().close();
        } catch (IOException e) {
            LOG.warn("{}: closing the session store failed", config.clientId(), e);
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        notifier.close();
    }
}
