package io.berth.client;

import java.util.concurrent.CompletableFuture;

/**
 * The progress of one {@link MqttClient#publish}. The future itself completes when the broker has
 * acknowledged the message (PUBACK for QoS 1, PUBCOMP for QoS 2; for QoS 0 when it was written to the
 * connection), or fails with {@link MqttClientException}. {@link #stored()} completes earlier, when the
 * client's {@link io.berth.client.store.ClientSessionStore} holds the message: from then on it survives a
 * reconnect, and with a durable store a crash of the client process, and the client sends it until the
 * broker acknowledges it. QoS 0 messages are never stored; their {@code stored()} completes at once.
 *
 * <p>Threading: completed on the client's event loop; dependent actions that block should use the
 * {@code ...Async} variants with an executor of their own.
 */
public final class PublishFuture extends CompletableFuture<Void> {
  private final CompletableFuture<Void> stored = new CompletableFuture<>();

  /** Completes when the message is in the session store (or fails when it never will be). */
  public CompletableFuture<Void> stored() {
    return stored;
  }
}
