package io.berth.client;

import java.util.concurrent.CompletableFuture;

/**
 * The progress of one {@link MqttClient#publish}, as two facts that a crash of the client cannot make
 * untrue once reported. The future itself completes when the broker has acknowledged the message (PUBACK
 * for QoS 1, PUBCOMP for QoS 2; for QoS 0 when it was written to the connection), or fails with {@link
 * MqttClientException}. {@link #stored()} completes when the client's {@link
 * io.berth.client.store.ClientSessionStore} holds the message: from then on it survives a reconnect, and
 * with a durable store a crash of the client process, and the client sends it until the broker
 * acknowledges it. QoS 0 messages are never stored; their {@code stored()} completes at once.
 *
 * <p>Which comes first depends on the QoS. A QoS 2 PUBLISH is sent only once the message and its packet
 * identifier are stored, so {@code stored()} completes before the future. A QoS 1 PUBLISH is sent while
 * its record is being written (a resend after a crash is a duplicate, which QoS 1 allows), so with a file
 * store the PUBACK may come, and complete the future, before {@code stored()}. Either one alone means that
 * a crash of the client no longer loses the message: acknowledged, it is the broker's; stored, the client
 * sends it again after a restart. An application that needs both waits for both, e.g. {@code
 * CompletableFuture.allOf(f, f.stored())}. If the store fails, {@code stored()} fails; the future then
 * fails too unless the broker had already acknowledged the message.
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
