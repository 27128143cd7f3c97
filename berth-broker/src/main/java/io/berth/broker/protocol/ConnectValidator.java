package io.berth.broker.protocol;

import io.berth.broker.auth.ScramServer;
import io.berth.broker.config.AbuseLimits;
import io.berth.broker.config.BrokerConfig;
import io.berth.broker.session.ClientConnection;
import io.berth.broker.session.ConnectRequest;
import io.berth.codec.ConnectPacket;
import io.berth.codec.MqttProperties;
import io.berth.codec.MqttVersion;
import io.berth.codec.ReasonCode;
import io.berth.codec.Topics;
import java.util.UUID;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Turns a CONNECT into what the session needs, or into the reason it is refused: client id rules,
 * session expiry and keep alive within the broker's limits, and the CONNACK properties that announce
 * those limits.
 *
 * <p>Threading: stateless.
 */
final class ConnectValidator {
    /** The keep alive of a 5.0 client is replaced by Server Keep Alive beyond the configured maximum. */
    private final BrokerConfig config;

    private final Consumer<String> limitHit;

    ConnectValidator(BrokerConfig config, Consumer<String> limitHit) {
        this.config = config;
        this.limitHit = limitHit;
    }

    /** The number of levels of a topic name or filter. */
    static int levels(String topic) {
        int n = 1;
        for (int i = 0; i < topic.length(); i++) {
            if (topic.charAt(i) == '/') {
                n++;
            }
        }
        return n;
    }

    Result validate(ConnectPacket c) {
        MqttVersion v = c.version();
        MqttProperties props = c.properties();
        String clientId = c.clientId();
        String assigned = null;
        AbuseLimits limits = config.security().abuse();
        if (clientId.length() > limits.maxClientIdLength()) {
            limitHit.accept("max-client-id-length");
            return Result.refused(ReasonCode.CLIENT_IDENTIFIER_NOT_VALID);
        }
        if (clientId.isEmpty()) {
            if (!v.isV5() && (!c.cleanStart() || v == MqttVersion.V3_1)) {
                // [MQTT-3.1.3-8] an empty client id needs cleanSession=1 (3.1.1); 3.1 needs an id
                return Result.refused(ReasonCode.CLIENT_IDENTIFIER_NOT_VALID);
            }
            // [MQTT-3.1.3-6] the server assigns a unique id
            clientId = "berth-" + UUID.randomUUID();
            assigned = clientId;
        }
        if (c.will() != null && !Topics.isValidTopicName(c.will().topic())) {
            return Result.refused(ReasonCode.TOPIC_NAME_INVALID);
        }
        if (c.will() != null && levels(c.will().topic()) > limits.maxTopicLevels()) {
            limitHit.accept("max-topic-levels");
            return Result.refused(ReasonCode.TOPIC_NAME_INVALID);
        }
        if (props.authenticationMethod() != null && !ScramServer.METHOD.equals(props.authenticationMethod())) {
            // enhanced authentication: SCRAM-SHA-256 only
            return Result.refused(ReasonCode.BAD_AUTHENTICATION_METHOD);
        }
        long expiry;
        Long announcedExpiry = null;
        if (v.isV5()) {
            long requested = props.sessionExpiryInterval() == null ? 0 : props.sessionExpiryInterval();
            expiry = Math.min(requested, config.maxSessionExpirySeconds());
            if (expiry != requested) {
                announcedExpiry = expiry;
            }
        } else {
            expiry = c.cleanStart() ? 0 : config.persistentSessionExpirySeconds();
        }
        int keepAlive = c.keepAliveSeconds();
        Integer serverKeepAlive = null;
        if (v.isV5() && keepAlive > config.maxKeepAliveSeconds()) {
            keepAlive = config.maxKeepAliveSeconds();
            serverKeepAlive = keepAlive;
        }
        int window =
                v.isV5() ? (props.receiveMaximum() == null ? 65_535 : props.receiveMaximum()) : config.maxInflight();
        long maxPacket = props.maximumPacketSize() == null ? Long.MAX_VALUE : props.maximumPacketSize();
        // [MQTT-3.1.2-26] [MQTT-3.1.2-27] outbound aliases only as many as the client accepts
        int outboundAliases =
                props.topicAliasMaximum() == null ? 0 : Math.min(props.topicAliasMaximum(), config.topicAliasMaximum());
        MqttProperties connack = MqttProperties.EMPTY;
        if (v.isV5()) {
            connack = MqttProperties.builder()
                    .receiveMaximum(config.receiveMaximum() < 65_535 ? config.receiveMaximum() : null)
                    .maximumPacketSize((long) config.maxPacketSize())
                    .topicAliasMaximum(config.topicAliasMaximum() > 0 ? config.topicAliasMaximum() : null)
                    .assignedClientIdentifier(assigned)
                    .serverKeepAlive(serverKeepAlive)
                    .sessionExpiryInterval(announcedExpiry)
                    .build();
        }
        return new Result(null, clientId, c, expiry, connack, keepAlive, window, maxPacket, outboundAliases);
    }

    /** The outcome: a refusal, or what the session needs. */
    record Result(
            @Nullable ReasonCode refusal,
            String clientId,
            ConnectPacket connect,
            long expiry,
            MqttProperties connackProperties,
            int keepAliveSeconds,
            int sendWindow,
            long maximumPacketSize,
            int outboundTopicAliases) {

        // A refusal carries only its reason: callers read the other components only when refusal() is
        // null, which NullAway cannot see; a sealed Refused/Accepted pair would express it.
        @SuppressWarnings("NullAway")
        static Result refused(ReasonCode reason) {
            return new Result(reason, null, null, 0, null, 0, 0, 0, 0);
        }

        Result withConnackProperties(MqttProperties p) {
            return new Result(
                    refusal,
                    clientId,
                    connect,
                    expiry,
                    p,
                    keepAliveSeconds,
                    sendWindow,
                    maximumPacketSize,
                    outboundTopicAliases);
        }

        ConnectRequest withConnection(ClientConnection connection, String principal) {
            return new ConnectRequest(
                    connection, clientId, connect.cleanStart(), expiry, connect.will(), principal, connackProperties);
        }
    }
}
