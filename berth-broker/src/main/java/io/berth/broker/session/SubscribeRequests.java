package io.berth.broker.session;

import io.berth.broker.store.StoreCommand;
import io.berth.broker.store.StoredMessage;
import io.berth.broker.store.Subscription;
import io.berth.codec.MqttProperties;
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
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SUBSCRIBE and UNSUBSCRIBE of a connected client: the subscriptions change at once in the session and
 * the topic tree, the SUBACK/UNSUBACK waits in the session's {@link AckQueue} for their commit, and
 * retained messages follow the SUBACK.
 *
 * <p>Threading: runs on its shard's thread only.
 */
final class SubscribeRequests {
    private static final Logger LOG = LoggerFactory.getLogger(SubscribeRequests.class);

    private final SessionShard shard;
    private final Sessions owner;
    private final ClientRequests requests;

    SubscribeRequests(SessionShard shard, Sessions owner, ClientRequests requests) {
        this.shard = shard;
        this.owner = owner;
        this.requests = requests;
    }

    void subscribe(ClientConnection conn, SubscribePacket p) {
        Session s = requests.session(conn);
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
        CompletableFuture<Void> stored = stored(s, commands);
        SubackPacket suback = new SubackPacket(p.packetId(), codes, MqttProperties.EMPTY);
        AckQueue.Pending ack = s.acks.add(
                suback,
                null,
                new SubackPacket(
                        p.packetId(),
                        codes.stream().map(c -> ReasonCode.UNSPECIFIED_ERROR).toList(),
                        MqttProperties.EMPTY),
                false);
        List<String> groups = new ArrayList<>();
        for (TopicSubscription t : p.subscriptions()) {
            if (Topics.isShared(t.filter()) && s.subscriptions.containsKey(t.filter())) {
                groups.add(GroupQueues.key(t.filter()));
            }
        }
        if (!retainedFor.isEmpty() || !groups.isEmpty()) {
            ack.then = () -> {
                if (!retainedFor.isEmpty()) {
                    sendRetained(s, conn, retainedFor);
                }
                // a new member may take what the group kept while every member was offline
                groups.forEach(key -> owner.shardOf(key).drainGroup(key));
            };
        }
        requests.awaitCommit(s, conn, stored, ack);
    }

    /**
     * Submits the subscription changes of {@code s}; completes once they are committed and, on a cluster
     * node, applied on every member in reach, so that a publish on any node after the SUBACK or UNSUBACK
     * is routed by them (ADR 16). A session that ends with its connection writes them for the routing
     * index of every node too.
     */
    private CompletableFuture<Void> stored(Session s, List<StoreCommand> commands) {
        if (commands.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> stored = s.store.submit(commands);
        CompletableFuture<Void> routed = VolatileRouting.register(owner, s, commands);
        return VolatileRouting.appliedEverywhere(owner, CompletableFuture.allOf(stored, routed));
    }

    /** Why a valid filter is not granted (ACL, limits), or null. */
    private @Nullable ReasonCode refusal(Session s, ClientConnection conn, String filter) {
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
                    requests.sendQos0(s, m, d);
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
                        .whenComplete((v, error) -> shard.onShard(() -> {
                            if (shard.sessions.get(s.clientId) == s) {
                                s.outbound.onCommitted(enqueue, error);
                            }
                        }));
            }
        }
        conn.flush();
    }

    void unsubscribe(ClientConnection conn, UnsubscribePacket p) {
        Session s = requests.session(conn);
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
        CompletableFuture<Void> stored = stored(s, commands);
        List<ReasonCode> sent = conn.version().isV5() ? codes : List.of();
        requests.acknowledge(
                s,
                conn,
                stored,
                new UnsubackPacket(p.packetId(), sent, MqttProperties.EMPTY),
                new UnsubackPacket(
                        p.packetId(),
                        sent.stream().map(c -> ReasonCode.UNSPECIFIED_ERROR).toList(),
                        MqttProperties.EMPTY));
    }
}
