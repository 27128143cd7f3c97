package io.berth.client;

import org.jspecify.annotations.Nullable;

/**
 * Told when the client's connection comes and goes.
 *
 * <p>Threading: called on the client's callback thread, in order.
 */
public interface ConnectionListener {
    /** A CONNACK accepted the connection. */
    default void onConnected(ConnectResult result) {}

    /**
     * The connection closed; the client reconnects by itself unless it is being closed.
     *
     * @param cause why, when known (a reason code from the broker, a keep-alive timeout, an I/O error)
     */
    default void onDisconnected(@Nullable String cause) {}

    /**
     * The connection closed, with the details: when the broker sent DISCONNECT, the exception carries its
     * reason code, Reason String and Server Reference (0x9C Use another server, 0x9D Server moved). By
     * default calls {@link #onDisconnected(String)} with the exception's message.
     */
    default void onDisconnected(MqttClientException cause) {
        onDisconnected(cause.getMessage());
    }
}
