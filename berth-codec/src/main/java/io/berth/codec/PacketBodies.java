package io.berth.codec;

import java.util.List;

/**
 * The first byte and the body (everything after the remaining length) of each packet type, for one
 * protocol version. On 3.1.1 properties are dropped and reason codes become return codes where the
 * packet has them; on 5.0 the short forms are used where the specification allows them.
 */
final class PacketBodies {
  private PacketBodies() {}

  static int firstByte(MqttPacket packet) {
    int type = packet.type().value() << 4;
    return switch (packet.type()) {
      case PUBLISH -> {
        PublishPacket p = (PublishPacket) packet;
        yield type | (p.dup() ? 0x08 : 0) | p.qos().value() << 1 | (p.retain() ? 0x01 : 0);
      }
      case PUBREL, SUBSCRIBE, UNSUBSCRIBE -> type | 0x02;
      default -> type;
    };
  }

  static void write(MqttPacket packet, MqttVersion v, WireWriter w) {
    switch (packet.type()) {
      case CONNECT -> connect((ConnectPacket) packet, w);
      case CONNACK -> connack((ConnackPacket) packet, v, w);
      case PUBLISH -> publish((PublishPacket) packet, v, w);
      case PUBACK -> {
        PubackPacket p = (PubackPacket) packet;
        ack(p.packetId(), p.reasonCode(), p.properties(), v, w);
      }
      case PUBREC -> {
        PubrecPacket p = (PubrecPacket) packet;
        ack(p.packetId(), p.reasonCode(), p.properties(), v, w);
      }
      case PUBREL -> {
        PubrelPacket p = (PubrelPacket) packet;
        ack(p.packetId(), p.reasonCode(), p.properties(), v, w);
      }
      case PUBCOMP -> {
        PubcompPacket p = (PubcompPacket) packet;
        ack(p.packetId(), p.reasonCode(), p.properties(), v, w);
      }
      case SUBSCRIBE -> subscribe((SubscribePacket) packet, v, w);
      case SUBACK -> suback((SubackPacket) packet, v, w);
      case UNSUBSCRIBE -> unsubscribe((UnsubscribePacket) packet, v, w);
      case UNSUBACK -> unsuback((UnsubackPacket) packet, v, w);
      case PINGREQ, PINGRESP -> {}
      case DISCONNECT -> {
        DisconnectPacket p = (DisconnectPacket) packet;
        if (v.isV5()) {
          reasonAndProperties(p.reasonCode(), p.properties(), w);
        }
      }
      case AUTH -> {
        if (!v.isV5()) {
          throw new IllegalArgumentException("AUTH exists only in MQTT 5.0");
        }
        AuthPacket p = (AuthPacket) packet;
        reasonAndProperties(p.reasonCode(), p.properties(), w);
      }
    }
  }

  private static void connect(ConnectPacket p, WireWriter w) {
    MqttVersion v = p.version();
    w.utf8(v.protocolName());
    w.u8(v.level());
    Will will = p.will();
    int flags = (p.cleanStart() ? 0x02 : 0)
        | (p.username() != null ? 0x80 : 0)
        | (p.password() != null ? 0x40 : 0);
    if (will != null) {
      flags |= 0x04 | will.qos().value() << 3 | (will.retain() ? 0x20 : 0);
    }
    w.u8(flags);
    w.u16(p.keepAliveSeconds());
    if (v.isV5()) {
      PropertiesEncoder.write(w, p.properties());
    }
    w.utf8(p.clientId());
    if (will != null) {
      if (v.isV5()) {
        PropertiesEncoder.write(w, will.properties());
      }
      w.utf8(will.topic());
      w.binary(will.payload());
    }
    if (p.username() != null) {
      w.utf8(p.username());
    }
    if (p.password() != null) {
      w.binary(p.password());
    }
  }

  /** Session present is written as 0 with an error code ([MQTT-3.2.2-6], 3.1.1 [MQTT-3.2.2-4]). */
  private static void connack(ConnackPacket p, MqttVersion v, WireWriter w) {
    w.u8(p.sessionPresent() && !p.reasonCode().isError() ? 0x01 : 0x00);
    if (v.isV5()) {
      w.u8(p.reasonCode().code());
      PropertiesEncoder.write(w, p.properties());
    } else {
      w.u8(v3ConnectReturnCode(p.reasonCode()));
    }
  }

  private static void publish(PublishPacket p, MqttVersion v, WireWriter w) {
    w.utf8(p.topic());
    if (p.qos() != QoS.AT_MOST_ONCE) {
      w.u16(p.packetId());
    }
    if (v.isV5()) {
      PropertiesEncoder.write(w, p.properties());
    }
    w.raw(p.payload());
  }

  private static void ack(int packetId, ReasonCode rc, MqttProperties props, MqttVersion v, WireWriter w) {
    w.u16(packetId);
    if (v.isV5() && !(rc == ReasonCode.SUCCESS && props.isEmpty())) {
      w.u8(rc.code());
      if (!props.isEmpty()) {
        PropertiesEncoder.write(w, props);
      }
    }
  }

  private static void subscribe(SubscribePacket p, MqttVersion v, WireWriter w) {
    w.u16(p.packetId());
    if (v.isV5()) {
      PropertiesEncoder.write(w, p.properties());
    }
    for (TopicSubscription s : p.subscriptions()) {
      w.utf8(s.filter());
      int options = s.qos().value();
      if (v.isV5()) {
        options |= (s.noLocal() ? 0x04 : 0)
            | (s.retainAsPublished() ? 0x08 : 0)
            | s.retainHandling().value() << 4;
      }
      w.u8(options);
    }
  }

  private static void suback(SubackPacket p, MqttVersion v, WireWriter w) {
    w.u16(p.packetId());
    if (v.isV5()) {
      PropertiesEncoder.write(w, p.properties());
    }
    for (ReasonCode rc : p.reasonCodes()) {
      w.u8(v.isV5() ? rc.code() : v3SubackReturnCode(rc));
    }
  }

  private static void unsubscribe(UnsubscribePacket p, MqttVersion v, WireWriter w) {
    w.u16(p.packetId());
    if (v.isV5()) {
      PropertiesEncoder.write(w, p.properties());
    }
    for (String filter : p.filters()) {
      w.utf8(filter);
    }
  }

  private static void unsuback(UnsubackPacket p, MqttVersion v, WireWriter w) {
    w.u16(p.packetId());
    if (v.isV5()) {
      PropertiesEncoder.write(w, p.properties());
      List<ReasonCode> codes = p.reasonCodes();
      for (ReasonCode rc : codes) {
        w.u8(rc.code());
      }
    }
  }

  /** DISCONNECT and AUTH: nothing for Success without properties, else the code and maybe properties. */
  private static void reasonAndProperties(ReasonCode rc, MqttProperties props, WireWriter w) {
    if (rc == ReasonCode.SUCCESS && props.isEmpty()) {
      return;
    }
    w.u8(rc.code());
    if (!props.isEmpty()) {
      PropertiesEncoder.write(w, props);
    }
  }

  /** The 3.1.1 CONNACK return code (section 3.2.2.3) for a reason code. */
  static int v3ConnectReturnCode(ReasonCode rc) {
    return switch (rc) {
      case SUCCESS -> 0;
      case UNSUPPORTED_PROTOCOL_VERSION -> 1;
      case CLIENT_IDENTIFIER_NOT_VALID -> 2;
      case BAD_USER_NAME_OR_PASSWORD -> 4;
      case NOT_AUTHORIZED -> 5;
      default -> 3;
    };
  }

  /** The 3.1.1 SUBACK return code (section 3.9.3) for a reason code. */
  static int v3SubackReturnCode(ReasonCode rc) {
    return switch (rc) {
      case SUCCESS -> 0x00;
      case GRANTED_QOS_1 -> 0x01;
      case GRANTED_QOS_2 -> 0x02;
      default -> 0x80;
    };
  }
}
