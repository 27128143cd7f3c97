package io.berth.client.internal;

import io.berth.client.ConnectResult;
import io.berth.client.Message;
import io.berth.client.MessageHandler;
import io.berth.client.MessageStream;
import io.berth.client.MqttClient;
import io.berth.client.PublishFuture;
import io.berth.client.store.StoredSession;
import io.berth.codec.QoS;
import io.berth.codec.Topics;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
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

  private final ClientConfig config;
  private final EventLoopGroup group;
  private final EventLoop loop;
  private final Notifier notifier;
  private final ClientSession session;
  private final Connector connector;
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
        1, new DefaultThreadFactory("berth-client", true), NioIoHandler.newFactory());
    this.loop = group.next();
    this.notifier = new Notifier(config);
    this.session = new ClientSession(config, loop, notifier);
    this.connector = new Connector(config, loop, session);
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
    long size = message.payload().length
        + message.topic().getBytes(StandardCharsets.UTF_8).length + 2L + 2L;
    long limit = Math.min(MAX_REMAINING_LENGTH, session.brokerMaximumPacketSize() - 5);
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

  @Override
  public CompletableFuture<QoS> subscribe(String filter, QoS qos, MessageHandler handler) {
    Objects.requireNonNull(filter, "filter");
    Objects.requireNonNull(qos, "qos");
    Objects.requireNonNull(handler, "handler");
    checkOpen();
    if (!Topics.isValidTopicFilter(filter)) {
      throw new IllegalArgumentException("invalid topic filter '" + filter
          + "': '#' only last and alone in its level, '+' alone in its level");
    }
    CompletableFuture<QoS> done = new CompletableFuture<>();
    loop.execute(() -> session.subscribe(filter, qos, handler, done));
    return done;
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
    if (closed) {
      return;
    }
    closed = true;
    CompletableFuture<Void> disconnected = new CompletableFuture<>();
    loop.execute(() -> connector.close().whenComplete((v, e) -> {
      session.close();
      disconnected.complete(null);
    }));
    try {
      disconnected.get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.debug("{}: disconnect did not finish: {}", config.clientId(), e.toString());
    }
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    notifier.close();
    try {
      config.store().close();
    } catch (IOException e) {
      LOG.warn("{}: closing the session store failed", config.clientId(), e);
    }
  }
}
