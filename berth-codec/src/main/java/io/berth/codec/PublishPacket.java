package io.berth.codec;

import java.util.Objects;

/**
 * PUBLISH. {@code packetId} is 0 for QoS 0 and 1..65535 otherwise. {@code topic} may be empty on 5.0 when
 * a topic alias names it. The payload array is shared, not copied: treat it as immutable.
 */
public record PublishPacket(
    String topic,
    QoS qos,
    boolean retain,
    boolean dup,
    int packetId,
    byte[] payload,
    MqttProperties properties)
    implements MqttPacket {

  public PublishPacket {
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(qos, "qos");
    Objects.requireNonNull(payload, "payload");
    Objects.requireNonNull(properties, "properties");
    if (qos == QoS.AT_MOST_ONCE ? packetId != 0 : (packetId < 1 || packetId > PacketIds.MAX)) {
      throw new IllegalArgumentException("packet identifier " + packetId + " does not fit QoS " + qos);
    }
  }

  @Override
  public PacketType type() {
    return PacketType.PUBLISH;
  }

  /**
   * False when the payload format indicator says UTF-8 and the payload is not well-formed UTF-8; a 5.0
   * receiver may then answer with Payload format invalid (0x99). The decoder leaves that choice to the
   * broker.
   */
  public boolean isPayloadFormatValid() {
    Integer format = properties.payloadFormatIndicator();
    return format == null || format != 1 || Utf8.isWellFormed(payload);
  }

  /** The same packet with another DUP flag. */
  public PublishPacket withDup(boolean newDup) {
    return new PublishPacket(topic, qos, retain, newDup, packetId, payload, properties);
  }
}
