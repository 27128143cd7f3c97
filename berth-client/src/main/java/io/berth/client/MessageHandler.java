package io.berth.client;

/**
 * Receives the messages of a subscription.
 *
 * <p>Threading: called on the client's callback thread, one message at a time, in the order the broker
 * sent them. A QoS 1 message is acknowledged to the broker only after this method returned (so a crash
 * during the call means the broker sends it again); a QoS 2 message is handed over after its packet
 * identifier is in the session store, so it is never handed over twice. Exceptions are logged and
 * otherwise ignored.
 */
@FunctionalInterface
public interface MessageHandler {
  /** Handles one received message. */
  void onMessage(Message message);
}
