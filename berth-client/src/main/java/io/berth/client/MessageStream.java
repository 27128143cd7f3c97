package io.berth.client;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The messages of one subscription as a blocking queue, for code that prefers pulling to callbacks. The
 * queue is unbounded: a consumer that falls behind makes it grow. Closing the stream unsubscribes.
 *
 * <p>Threading: filled on the client's callback thread; {@link #take()} and {@link #poll} may be called
 * from any thread.
 */
public final class MessageStream implements AutoCloseable, MessageHandler {
  private final BlockingQueue<Message> queue = new LinkedBlockingQueue<>();
  private final Consumer<MessageStream> onClose;

  /** Used by the client; applications get a stream from {@link MqttClient#subscribeStream}. */
  public MessageStream(Consumer<MessageStream> onClose) {
    this.onClose = onClose;
  }

  @Override
  public void onMessage(Message message) {
    queue.add(message);
  }

  /** Waits for the next message. */
  public Message take() throws InterruptedException {
    return queue.take();
  }

  /** Waits up to {@code timeout} for the next message; null when none came. */
  public Message poll(Duration timeout) throws InterruptedException {
    return queue.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  @Override
  public void close() {
    onClose.accept(this);
  }
}
