package io.berth.broker.session;

import io.berth.broker.store.StoreCommand;
import io.berth.broker.store.StoredMessage;
import io.berth.broker.store.Subscription;
import io.berth.codec.MqttEncoder;
import io.berth.codec.MqttPacket;
import io.berth.codec.MqttProperties;
import io.berth.codec.PubackPacket;
import io.berth.codec.PubcompPacket;
import io.berth.codec.PublishPacket;
import io.berth.codec.PubrecPacket;
import io.berth.codec.PubrelPacket;
import io.berth.codec.QoS;
import io.berth.codec.ReasonCode;
import io.berth.codec.RetainHandling;
import io.berth.codec.SubackPacket;
import io.berth.codec.SubscribePacket;
import io.berth.codec.TopicSubscription;
import io.berth.codec.Topics;
import io.berth.codec.UnsubackPacket;
import io.berth.codec.UnsubscribePacket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a connected client asks of its session: publish (QoS 0, 1, 2 with its PUBREL), subscribe and
 * unsubscribe. Every acknowledgement is sent only after what it acknowledges is committed, and in the
 * order the requests came ([MQTT-4.6.0-2], [MQTT-4.6.0-3]).
 *
 * <p>Threading: runs on its shard's thread only.
 */
final class ClientRequests {
    private static final Logger LOG = LoggerFactory.getLogger(ClientRequests.class);

    private final SessionShard shard;
    private final Sessions owner;

    ClientRequests(SessionShard shard, Sessions owner) {
        this.shard = shard;
        this.owner = owner;
    }

    private Session session(ClientConnection conn) {
        Session s = shard.sessions.get(conn.clientId());
        return s != null && s.isConnectedTo(conn) ? s : null;
    }

    void publish(ClientConnection conn, PublishPacket p) {
        Session s = session(conn);
        if (s == null) {
            conn.inboundDone();
            return;
        }
        if (conn.version().isV5() && !p.isPayloadFormatValid()) {
            // 5.0 section 3.3.2.3.2: a payload that is not the UTF-8 it claims to be is refused with 0x99
            refuseInvalidPayload(s, conn, p);
            return;
        }
        shard.context.metrics().received();
        if (!shard.context.authorizer().canPublish(s.record.owner(), s.clientId, p.topic())) {
            denyPublish(s, conn, p);
            return;
        }
        StoredMessage message = new StoredMessage(
                shard.context.messageIds().getAndIncrement(),
                p.topic(),
                p.payload(),
                p.qos(),
                p.retain(),
                forwardable(p.properties()),
                shard.context.clock().getAsLong(),
                s.clientId);
        switch (p.qos()) {
            case AT_MOST_ONCE -> {
                owner.router().publish(message, s.store, List.of());
                conn.inboundDone();
            }
            case AT_LEAST_ONCE -> {
                if (!admitInbound(s, conn)) {
                    return;
                }
                CompletableFuture<Routed> stored = owner.router().publish(message, s.store, List.of());
                stored.whenComplete((v, e) -> conn.inboundDone());
                acknowledge(
                        s,
                        conn,
                        stored,
                        routed -> new PubackPacket(p.packetId(), ackCode(conn, routed), MqttProperties.EMPTY),
                        () -> new PubackPacket(
                                p.packetId(), ReasonCode.IMPLEMENTATION_SPECIFIC_ERROR, MqttProperties.EMPTY),
                        true);
            }
            case EXACTLY_ONCE -> {
                CompletableFuture<Routed> earlier = s.inbound.get(p.packetId());
                if (earlier != null) {
                    earlier.whenComplete((v, e) -> conn.inboundDone());
                    // [MQTT-4.3.3-9] a resent PUBLISH whose PUBREL has not come is not delivered again
                    acknowledge(
                            s,
                            conn,
                            earlier,
                            routed -> PubrecPacket.of(p.packetId()),
                            () -> new PubrecPacket(
                                    p.packetId(), ReasonCode.IMPLEMENTATION_SPECIFIC_ERROR, MqttProperties.EMPTY),
                            false);
                    return;
                }
                if (!conn.version().isV5()
                        && s.inbound.size() >= shard.context.config().receiveMaximum()) {
                    // 3.1.1 has no Receive Maximum: QoS 2 exchanges left open (no PUBREL) are held to the same
                    // count, or one client could keep 65,535 of them per session
                    LOG.debug("{} left too many QoS 2 exchanges open", conn.describe());
                    conn.close(ReasonCode.RECEIVE_MAXIMUM_EXCEEDED);
                    return;
                }
                if (!admitInbound(s, conn)) {
                    return;
                }
                // the packet id is committed atomically with the routed message (see Router)
                CompletableFuture<Routed> stored = owner.router()
                        .publish(message, s.store, List.of(new StoreCommand.PutInbound(s.clientId, p.packetId())));
                s.inbound.put(p.packetId(), stored);
                stored.whenComplete((v, e) -> conn.inboundDone());
                stored.whenCompleteAsync(
                        (routed, error) -> {
                            if (s.inbound.get(p.packetId()) != stored) {
                                return;
                            }
                            // 5.0 section 4.3.3: after a PUBREC with an error the exchange is over and the packet id
                            // free:
                            // no PUBREL will come, so neither the id nor the Receive Maximum slot may stay taken
                            boolean refused =
                                    error == null && ackCode(conn, routed).isError();
                            if (error != null || refused) {
                                s.inbound.remove(p.packetId());
                                s.inboundUnacked = Math.max(0, s.inboundUnacked - 1);
                            }
                            if (refused) {
                                s.store.submit(new StoreCommand.DeleteInbound(s.clientId, p.packetId()));
                            }
                        },
                        shard.executor);
                acknowledge(
                        s,
                        conn,
                        stored,
                        routed -> new PubrecPacket(p.packetId(), ackCode(conn, routed), MqttProperties.EMPTY),
                        () -> new PubrecPacket(
                                p.packetId(), ReasonCode.IMPLEMENTATION_SPECIFIC_ERROR, MqttProperties.EMPTY),
                        false);
            }
        }
    }

    /**
     * A PUBLISH the ACL denies is not routed. 5.0 answers QoS 1/2 with 0x87 Not Authorized; 3.1.1 has no
     * way to say it and acknowledges as the protocol requires (its PUBREL then finds nothing pending).
     */
    private void denyPublish(Session s, ClientConnection conn, PublishPacket p) {
        LOG.debug("{}: publish to '{}' denied by the ACL", conn.describe(), p.topic());
        answerUnrouted(s, conn, p, conn.version().isV5() ? ReasonCode.NOT_AUTHORIZED : ReasonCode.SUCCESS);
    }

    /** SUCCESS, or 0x97 on 5.0 when a subscriber's queue refused the message (see docs/adr). */
    private static ReasonCode ackCode(ClientConnection conn, Routed routed) {
        return routed == Routed.QUOTA_EXCEEDED && conn.version().isV5()
                ? ReasonCode.QUOTA_EXCEEDED
                : ReasonCode.SUCCESS;
    }

    private void refuseInvalidPayload(Session s, ClientConnection conn, PublishPacket p) {
        LOG.debug("{} sent a PUBLISH whose payload is not UTF-8 as its format indicator says", conn.describe());
        answerUnrouted(s, conn, p, ReasonCode.PAYLOAD_FORMAT_INVALID);
    }

    /** Acknowledges a PUBLISH that is not routed with {@code rc}, in order with the other acks. */
    private void answerUnrouted(Session s, ClientConnection conn, PublishPacket p, ReasonCode rc) {
        CompletableFuture<Void> now = CompletableFuture.completedFuture(null);
        conn.inboundDone();
        switch (p.qos()) {
            case AT_MOST_ONCE -> {}
            case AT_LEAST_ONCE ->
                acknowledge(
                        s, conn, now, v -> new PubackPacket(p.packetId(), rc, MqttProperties.EMPTY), () -> null, false);
            case EXACTLY_ONCE ->
                acknowledge(
                        s, conn, now, v -> new PubrecPacket(p.packetId(), rc, MqttProperties.EMPTY), () -> null, false);
        }
    }

    /** Counts an inbound QoS 1/2 publish against the broker's Receive Maximum. */
    private boolean admitInbound(Session s, ClientConnection conn) {
        if (++s.inboundUnacked > shard.context.config().receiveMaximum()
                && conn.version().isV5()) {
            // [MQTT-3.3.4-8] more unacknowledged QoS 1/2 publishes than the Receive Maximum
            LOG.debug("{} exceeded the receive maximum", conn.describe());
            conn.close(ReasonCode.RECEIVE_MAXIMUM_EXCEEDED);
            return false;
        }
        return true;
    }

    /**
     * Sends an acknowledgement once {@code stored} completes and every earlier acknowledgement went out.
     * A failed store sends {@code failure} on 5.0 and closes a 3.1.1 connection, which has no way to say
     * it: the client then sends the message again.
     */
    private <T> void acknowledge(
            Session s,
            ClientConnection conn,
            CompletableFuture<T> stored,
            Function<T, MqttPacket> success,
            Supplier<MqttPacket> failure,
            boolean releasesSlot) {
        CompletableFuture<Void> previous = s.lastAck;
        CompletableFuture<Void> sent = new CompletableFuture<>();
        s.lastAck = sent;
        previous.whenComplete((a, b) -> stored.whenCompleteAsync(
                (v, error) -> {
                    try {
                        if (!s.isConnectedTo(conn)) {
                            return;
                        }
                        if (releasesSlot && s.inboundUnacked > 0) {
                            // a PUBREL for a PUBLISH of an earlier connection was never counted on this one
                            s.inboundUnacked--;
                        }
                        if (error == null) {
                            conn.send(success.apply(v));
                        } else if (conn.version().isV5()) {
                            LOG.warn("publish of {} not stored: {}", conn.describe(), error.toString());
                            conn.send(failure.get());
                        } else {
                            LOG.warn("publish of {} not stored, closing: {}", conn.describe(), error.toString());
                            conn.close(ReasonCode.IMPLEMENTATION_SPECIFIC_ERROR);
                        }
                        conn.flush();
                    } finally {
                        sent.complete(null);
                    }
                },
                shard.executor));
    }

    void pubrel(ClientConnection conn, PubrelPacket p) {
        Session s = session(conn);
        if (s == null) {
            return;
        }
        CompletableFuture<Routed> received = s.inbound.remove(p.packetId());
        if (received == null) {
            // [MQTT-4.3.3-11] nothing pending: complete anyway (5.0 says the id was not found)
            ReasonCode rc = conn.version().isV5() ? ReasonCode.PACKET_IDENTIFIER_NOT_FOUND : ReasonCode.SUCCESS;
            acknowledge(
                    s,
                    conn,
                    CompletableFuture.completedFuture(null),
                    v -> new PubcompPacket(p.packetId(), rc, MqttProperties.EMPTY),
                    () -> null,
                    false);
            return;
        }
        CompletableFuture<Void> released =
                received.thenCompose(v -> s.store.submit(new StoreCommand.DeleteInbound(s.clientId, p.packetId())));
        acknowledge(
                s,
                conn,
                released,
                v -> PubcompPacket.of(p.packetId()),
                () -> new PubcompPacket(p.packetId(), ReasonCode.IMPLEMENTATION_SPECIFIC_ERROR, MqttProperties.EMPTY),
                true);
    }

    void subscribe(ClientConnection conn, SubscribePacket p) {
        Session s = session(conn);
        if (s == null) {
            return;
        }
        boolean v5 = conn.version().isV5();
        List<Integer> ids = p.properties().subscriptionIdentifiers();
        int subscriptionId = ids.isEmpty() ? 0 : ids.get(0);
        List<ReasonCode> codes = new ArrayList<>();
        List<StoreCommand> commands = new ArrayList<>();
        List<Subscription> retainedFor = new ArrayList<>();
        for (TopicSubscription t : p.subscriptions()) {
            String filter = t.filter();
            if (!Topics.isValidTopicFilter(filter)) {
                // [MQTT-4.7.1-1] invalid filter: 0x8F on 5.0, failure on 3.1.1
                codes.add(ReasonCode.TOPIC_FILTER_INVALID);
                continue;
            }
            ReasonCode refusal = refusal(s, conn, filter);
            if (refusal != null) {
                codes.add(refusal);
                continue;
            }
            boolean shared = Topics.isShared(filter);
            if (shared && t.noLocal()) {
                // [MQTT-3.8.3-4] No Local on a shared subscription is a protocol error
                conn.close(ReasonCode.PROTOCOL_ERROR);
                return;
            }
            Subscription sub = new Subscription(
                    filter,
                    t.qos(),
                    v5 && t.noLocal(),
                    v5 && t.retainAsPublished(),
                    v5 ? t.retainHandling() : RetainHandling.SEND_ON_SUBSCRIBE,
                    subscriptionId);
            Subscription previous = s.subscriptions.put(filter, sub);
            // [MQTT-3.8.4-3] a subscription to the same filter replaces the previous one
            shard.context.tree().subscribe(s.clientId, sub);
            commands.add(new StoreCommand.PutSubscription(s.clientId, sub));
            codes.add(ReasonCode.granted(t.qos()));
            boolean send = switch (sub.retainHandling()) {
                case SEND_ON_SUBSCRIBE -> true;
                case SEND_IF_NEW_SUBSCRIPTION -> previous == null;
                case DO_NOT_SEND -> false;
            };
            // [MQTT-3.3.1-9] retained messages are sent on subscribe, but not for shared subscriptions
            if (send && !shared) {
                retainedFor.add(sub);
            }
        }
        CompletableFuture<Void> stored =
                commands.isEmpty() ? CompletableFuture.completedFuture(null) : s.store.submit(commands);
        SubackPacket suback = new SubackPacket(p.packetId(), codes, MqttProperties.EMPTY);
        acknowledge(
                s,
                conn,
                stored,
                v -> suback,
                () -> new SubackPacket(
                        p.packetId(),
                        codes.stream().map(c -> ReasonCode.UNSPECIFIED_ERROR).toList(),
                        MqttProperties.EMPTY),
                false);
        if (!retainedFor.isEmpty()) {
            s.lastAck.whenCompleteAsync((v, e) -> sendRetained(s, conn, retainedFor), shard.executor);
        }
        for (TopicSubscription t : p.subscriptions()) {
            if (Topics.isShared(t.filter()) && s.subscriptions.containsKey(t.filter())) {
                // a new member may take what the group kept while every member was offline
                String key = GroupQueues.key(t.filter());
                s.lastAck.whenComplete((v, e) -> owner.shardOf(key).drainGroup(key));
            }
        }
    }

    /** Why a valid filter is not granted (ACL, limits), or null. */
    private ReasonCode refusal(Session s, ClientConnection conn, String filter) {
        var limits = shard.context.config().security().abuse();
        if (filter.chars().filter(ch -> ch == '/').count() + 1 > limits.maxTopicLevels()) {
            shard.context.metrics().limitHit("max-topic-levels");
            return ReasonCode.TOPIC_FILTER_INVALID;
        }
        if (!shard.context.authorizer().canSubscribe(s.record.owner(), s.clientId, filter)) {
            LOG.debug("{}: subscription to '{}' denied by the ACL", conn.describe(), filter);
            return ReasonCode.NOT_AUTHORIZED;
        }
        if (!s.subscriptions.containsKey(filter) && s.subscriptions.size() >= limits.maxSubscriptionsPerSession()) {
            shard.context.metrics().limitHit("max-subscriptions-per-session");
            return ReasonCode.QUOTA_EXCEEDED;
        }
        return null;
    }

    /** Queues the retained messages matching new subscriptions, after the SUBACK. */
    private void sendRetained(Session s, ClientConnection conn, List<Subscription> subs) {
        if (!s.isConnectedTo(conn)) {
            return;
        }
        long now = shard.context.clock().getAsLong();
        for (Subscription sub : subs) {
            for (StoredMessage m : shard.context.retained().matching(sub.filter(), now)) {
                if (!shard.context.authorizer().canReceive(s.record.owner(), s.clientId, m.topic())) {
                    continue;
                }
                QoS qos = QoS.min(m.qos(), sub.qos());
                List<Integer> ids = sub.subscriptionId() > 0 ? List.of(sub.subscriptionId()) : List.of();
                // [MQTT-3.3.1-8] retained messages sent on subscribe keep RETAIN set
                Delivery d = new Delivery(s.clientId, qos, true, ids);
                if (qos == QoS.AT_MOST_ONCE) {
                    sendQos0(s, m, d);
                    continue;
                }
                Refusal refusal =
                        s.outbound.admit(m, shard.context.config().limits().queuedBytesBudget());
                if (refusal != null) {
                    shard.context.metrics().dropped(refusal.reason());
                    continue;
                }
                StoreCommand.Enqueue enqueue = s.outbound.reserve(m, d);
                s.store
                        .submit(enqueue)
                        .whenCompleteAsync(
                                (v, error) -> {
                                    if (shard.sessions.get(s.clientId) == s) {
                                        s.outbound.onCommitted(enqueue, error);
                                    }
                                },
                                shard.executor);
            }
        }
        conn.flush();
    }

    void unsubscribe(ClientConnection conn, UnsubscribePacket p) {
        Session s = session(conn);
        if (s == null) {
            return;
        }
        List<ReasonCode> codes = new ArrayList<>();
        List<StoreCommand> commands = new ArrayList<>();
        for (String filter : p.filters()) {
            Subscription removed = s.subscriptions.remove(filter);
            if (removed == null) {
                codes.add(ReasonCode.NO_SUBSCRIPTION_EXISTED);
                continue;
            }
            shard.context.tree().unsubscribe(s.clientId, filter);
            commands.add(new StoreCommand.DeleteSubscription(s.clientId, filter));
            codes.add(ReasonCode.SUCCESS);
        }
        CompletableFuture<Void> stored =
                commands.isEmpty() ? CompletableFuture.completedFuture(null) : s.store.submit(commands);
        List<ReasonCode> sent = conn.version().isV5() ? codes : List.of();
        acknowledge(
                s,
                conn,
                stored,
                v -> new UnsubackPacket(p.packetId(), sent, MqttProperties.EMPTY),
                () -> new UnsubackPacket(
                        p.packetId(),
                        sent.stream().map(c -> ReasonCode.UNSPECIFIED_ERROR).toList(),
                        MqttProperties.EMPTY),
                false);
    }

    /** Sends a QoS 0 message to an online session now, unless its socket is backed up. */
    void sendQos0(Session s, StoredMessage m, Delivery d) {
        ClientConnection conn = s.connection;
        if (conn == null || !s.attached || !conn.isWritable()) {
            return;
        }
        MqttProperties props = m.properties();
        if (!d.subscriptionIds().isEmpty()) {
            props = props.toBuilder()
                    .subscriptionIdentifiers(d.subscriptionIds())
                    .build();
        }
        PublishPacket packet = new PublishPacket(m.topic(), QoS.AT_MOST_ONCE, d.retain(), false, 0, m.payload(), props);
        if (MqttEncoder.encodedSize(packet, conn.version()) > conn.maximumPacketSize()) {
            return;
        }
        conn.send(packet);
        conn.flush();
    }

    /** The properties of a received PUBLISH that travel on to subscribers. */
    private static MqttProperties forwardable(MqttProperties p) {
        if (p.topicAlias() == null && p.subscriptionIdentifiers().isEmpty()) {
            return p;
        }
        return p.toBuilder().topicAlias(null).subscriptionIdentifiers(List.of()).build();
    }
}
