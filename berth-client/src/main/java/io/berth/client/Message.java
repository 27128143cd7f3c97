package io.berth.client;

import io.berth.codec.QoS;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * An application message: what {@link MqttClient#publish} sends and what a {@link MessageHandler}
 * receives. Validation of the topic against the MQTT rules happens in {@code publish}, so that a received
 * message with any topic can be represented.
 *
 * <p>The payload array is shared, not copied: treat it as immutable once handed over.
 *
 * @param topic the topic name
 * @param payload the payload bytes, never null (may be empty)
 * @param qos the quality of service
 * @param retain whether the broker should retain the message (on receipt: the retain flag as sent)
 */
public record Message(String topic, byte[] payload, QoS qos, boolean retain) {
  public Message {
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(payload, "payload");
    Objects.requireNonNull(qos, "qos");
  }

  /** A non-retained message. */
  public static Message of(String topic, byte[] payload, QoS qos) {
    return new Message(topic, payload, qos, false);
  }

  /** A non-retained message whose payload is the UTF-8 encoding of {@code text}. */
  public static Message of(String topic, String text, QoS qos) {
    return new Message(topic, text.getBytes(StandardCharsets.UTF_8), qos, false);
  }

  /**
   * A non-retained message with the QoS given as its wire value.
   *
   * @throws IllegalArgumentException when {@code qos} is not 0, 1 or 2
   */
  public static Message of(String topic, byte[] payload, int qos) {
    QoS level = QoS.fromValue(qos);
    if (level == null) {
      throw new IllegalArgumentException("QoS must be 0, 1 or 2, not " + qos);
    }
    return new Message(topic, payload, level, false);
  }

  /** The payload decoded as UTF-8. */
  public String payloadAsString() {
    return new String(payload, StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "Message[topic=" + topic + ", qos=" + qos.value() + ", retain=" + retain
        + ", payload=" + payload.length + " bytes]";
  }
}
