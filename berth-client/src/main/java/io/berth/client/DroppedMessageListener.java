package io.berth.client;

/**
 * Told about every message the client gave up on before the broker acknowledged it: dropped or rejected
 * by the {@link OverflowPolicy}, or lost with the broker's session when re-sending is turned off.
 *
 * <p>Threading: called on the client's callback thread.
 */
@FunctionalInterface
public interface DroppedMessageListener {
  /**
   * @param message the message given up on
   * @param reason why, for logs
   */
  void onDropped(Message message, String reason);
}
