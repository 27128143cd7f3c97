package io.berth.client;

/**
 * What {@link MqttClient#publish} does when the send buffer (messages handed over but not yet sent to the
 * broker: while offline, or while the broker's Receive Maximum is used up) is full by count or by bytes.
 * Every message that is not kept is reported to the {@link DroppedMessageListener} and its
 * {@link PublishFuture} fails with {@link MqttClientException}.
 */
public enum OverflowPolicy {
  /** Refuse the new message; nothing already buffered changes. */
  REJECT,
  /** Drop the oldest buffered messages until the new one fits. */
  DROP_OLDEST,
  /** Drop the new message (like {@link #REJECT}, but reported as dropped). */
  DROP_NEWEST
}
