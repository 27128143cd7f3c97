package io.berth.codec;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads an MQTT 5.0 property list (section 2.2.2): the property length, then properties. An unknown
 * identifier or one not allowed where it stands (table 2.2.2.2) is a Malformed Packet. A repeated
 * property other than User Property (and Subscription Identifier in a PUBLISH) is a Protocol Error, and
 * so is a value out of its range (a Topic Alias of 0 is Topic Alias invalid, as in section 3.3.4).
 */
final class PropertiesDecoder {
  private PropertiesDecoder() {}

  static MqttProperties read(PacketReader in, PropertyScope scope) {
    int length = in.varInt("property length");
    if (length == 0) {
      return MqttProperties.EMPTY;
    }
    PacketReader r = in.limit(length, "properties");
    MqttProperties.Builder b = MqttProperties.builder();
    List<UserProperty> userProperties = new ArrayList<>(0);
    List<Integer> subscriptionIds = new ArrayList<>(0);
    long seen = 0;
    while (r.hasRemaining()) {
      int id = r.varInt("property identifier");
      Property p = Property.fromId(id);
      if (p == null) {
        throw DecodeException.malformed("unknown property identifier 0x" + Integer.toHexString(id));
      }
      if (!p.allowedIn(scope)) {
        throw DecodeException.malformed(p + " is not allowed in " + scope);
      }
      long bit = 1L << p.id();
      if ((seen & bit) != 0 && !repeatable(p, scope)) {
        throw DecodeException.protocolError(p + " included more than once");
      }
      seen |= bit;
      switch (p) {
        case USER_PROPERTY -> userProperties.add(
            new UserProperty(r.utf8("user property name"), r.utf8("user property value")));
        case SUBSCRIPTION_IDENTIFIER -> {
          int subscriptionId = r.varInt("subscription identifier");
          if (subscriptionId == 0) {
            throw DecodeException.protocolError("subscription identifier 0");
          }
          subscriptionIds.add(subscriptionId);
        }
        default -> readSingle(p, r, b);
      }
    }
    r.requireEnd("properties");
    if (!userProperties.isEmpty()) {
      b.userProperties(userProperties);
    }
    if (!subscriptionIds.isEmpty()) {
      b.subscriptionIdentifiers(subscriptionIds);
    }
    MqttProperties props = b.build();
    if (props.authenticationData() != null && props.authenticationMethod() == null) {
      throw DecodeException.protocolError("authentication data without authentication method");
    }
    return props;
  }

  private static boolean repeatable(Property p, PropertyScope scope) {
    return p == Property.USER_PROPERTY
        || (p == Property.SUBSCRIPTION_IDENTIFIER && scope == PropertyScope.PUBLISH);
  }

  private static void readSingle(Property p, PacketReader r, MqttProperties.Builder b) {
    String name = p.name();
    switch (p) {
      case PAYLOAD_FORMAT_INDICATOR -> b.payloadFormatIndicator(zeroOrOne(r, name));
      case MESSAGE_EXPIRY_INTERVAL -> b.messageExpiryInterval(r.u32(name));
      case CONTENT_TYPE -> b.contentType(r.utf8(name));
      case RESPONSE_TOPIC -> {
        String topic = r.utf8(name);
        if (!Topics.isValidTopicName(topic)) {
          throw DecodeException.protocolError("response topic is not a valid topic name [MQTT-3.3.2-14]");
        }
        b.responseTopic(topic);
      }
      case CORRELATION_DATA -> b.correlationData(r.binary(name));
      case SESSION_EXPIRY_INTERVAL -> b.sessionExpiryInterval(r.u32(name));
      case ASSIGNED_CLIENT_IDENTIFIER -> b.assignedClientIdentifier(r.utf8(name));
      case SERVER_KEEP_ALIVE -> b.serverKeepAlive(r.u16(name));
      case AUTHENTICATION_METHOD -> b.authenticationMethod(r.utf8(name));
      case AUTHENTICATION_DATA -> b.authenticationData(r.binary(name));
      case REQUEST_PROBLEM_INFORMATION -> b.requestProblemInformation(zeroOrOne(r, name));
      case WILL_DELAY_INTERVAL -> b.willDelayInterval(r.u32(name));
      case REQUEST_RESPONSE_INFORMATION -> b.requestResponseInformation(zeroOrOne(r, name));
      case RESPONSE_INFORMATION -> b.responseInformation(r.utf8(name));
      case SERVER_REFERENCE -> b.serverReference(r.utf8(name));
      case REASON_STRING -> b.reasonString(r.utf8(name));
      case RECEIVE_MAXIMUM -> {
        int receiveMaximum = r.u16(name);
        if (receiveMaximum == 0) {
          throw DecodeException.protocolError("receive maximum 0");
        }
        b.receiveMaximum(receiveMaximum);
      }
      case TOPIC_ALIAS_MAXIMUM -> b.topicAliasMaximum(r.u16(name));
      case TOPIC_ALIAS -> {
        int alias = r.u16(name);
        if (alias == 0) {
          throw new DecodeException(ReasonCode.TOPIC_ALIAS_INVALID, "topic alias 0 [MQTT-3.3.2-8]");
        }
        b.topicAlias(alias);
      }
      case MAXIMUM_QOS -> b.maximumQos(zeroOrOne(r, name));
      case RETAIN_AVAILABLE -> b.retainAvailable(zeroOrOne(r, name));
      case MAXIMUM_PACKET_SIZE -> {
        long size = r.u32(name);
        if (size == 0) {
          throw DecodeException.protocolError("maximum packet size 0");
        }
        b.maximumPacketSize(size);
      }
      case WILDCARD_SUBSCRIPTION_AVAILABLE -> b.wildcardSubscriptionAvailable(zeroOrOne(r, name));
      case SUBSCRIPTION_IDENTIFIER_AVAILABLE -> b.subscriptionIdentifierAvailable(zeroOrOne(r, name));
      case SHARED_SUBSCRIPTION_AVAILABLE -> b.sharedSubscriptionAvailable(zeroOrOne(r, name));
      case USER_PROPERTY, SUBSCRIPTION_IDENTIFIER -> throw new IllegalStateException(name);
    }
  }

  private static int zeroOrOne(PacketReader r, String name) {
    int v = r.u8(name);
    if (v > 1) {
      throw DecodeException.protocolError(name + " must be 0 or 1, was " + v);
    }
    return v;
  }
}
