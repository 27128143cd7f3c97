package io.berth.broker.session;

import io.berth.broker.routing.TopicTree;
import io.berth.broker.store.StoredMessage;
import io.berth.broker.store.Subscription;
import io.berth.codec.QoS;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * The deliveries of one published message: its matching subscriptions merged per client, one member
 * chosen per shared group, grouped by the shard of each receiver. Made once per publish, so it keeps
 * to lists: clients are found by a linear search while there are few of them, and by a map only past
 * {@link #LINEAR_MAX} (a fan-out).
 *
 * <p>Threading: used on the publisher's shard, for one message, then dropped.
 */
final class Matches implements TopicTree.MatchVisitor {
    /** Clients matched before a map is built to find them. */
    static final int LINEAR_MAX = 8;

    private final BrokerContext context;
    private final StoredMessage message;
    private final List<DeliveryBuilder> direct = new ArrayList<>(2);
    private @Nullable Map<String, DeliveryBuilder> index;
    private @Nullable List<Delivery> shared;

    /** Cluster only (ADR 13): clients and shared filters the message is forwarded to instead. */
    private final Set<String> forwardedClients;

    private final Set<String> forwardedGroups;
    /** Cluster only (ADR 16): a message relayed from another node goes to these clients only, to no group. */
    private @Nullable Predicate<String> relayedTo;

    private Matches(
            BrokerContext context, StoredMessage message, Set<String> forwardedClients, Set<String> forwardedGroups) {
        this.context = context;
        this.message = message;
        this.forwardedClients = forwardedClients;
        this.forwardedGroups = forwardedGroups;
    }

    /** The deliveries of {@code message}, by the index of each receiver's shard (null where none). */
    static @Nullable List<Delivery>[] of(BrokerContext context, StoredMessage message, int shards) {
        return of(context, message, shards, Set.of(), Set.of());
    }

    /**
     * As {@link #of(BrokerContext, StoredMessage, int)}, but for the clients and shared filters that a
     * cluster node forwards the message to (ADR 13).
     */
    static @Nullable List<Delivery>[] of(
            BrokerContext context,
            StoredMessage message,
            int shards,
            Set<String> forwardedClients,
            Set<String> forwardedGroups) {
        Matches m = new Matches(context, message, forwardedClients, forwardedGroups);
        context.tree().match(message.topic(), m);
        @SuppressWarnings("unchecked")
        @Nullable
        List<Delivery>[] byShard = new List[shards];
        for (DeliveryBuilder b : m.direct) {
            add(byShard, b.build());
        }
        if (m.shared != null) {
            for (Delivery d : m.shared) {
                add(byShard, d);
            }
        }
        return byShard;
    }

    /**
     * Cluster only (ADR 16): the deliveries of a message relayed from another node to the clients that
     * {@code receives} accepts (the sessions of one shard that end with their connection); shared groups
     * are not matched here (the cluster picks their member when the entry is applied).
     */
    static List<Delivery> relayed(BrokerContext context, StoredMessage message, Predicate<String> receives) {
        Matches m = new Matches(context, message, Set.of(), Set.of());
        m.relayedTo = receives;
        context.tree().match(message.topic(), m);
        List<Delivery> out = new ArrayList<>(m.direct.size());
        for (DeliveryBuilder b : m.direct) {
            out.add(b.build());
        }
        return out;
    }

    private static void add(@Nullable List<Delivery>[] byShard, Delivery d) {
        int i = Math.floorMod(d.clientId().hashCode(), byShard.length);
        List<Delivery> list = byShard[i];
        if (list == null) {
            list = new ArrayList<>(2);
            byShard[i] = list;
        }
        list.add(d);
    }

    @Override
    public void subscriber(String clientId, Subscription sub) {
        // [MQTT-3.8.3-3] No Local: not to the publisher's own subscription
        if (sub.noLocal() && clientId.equals(message.publisherId())) {
            return;
        }
        if (!forwardedClients.isEmpty() && forwardedClients.contains(clientId)) {
            return;
        }
        if (relayedTo != null && !relayedTo.test(clientId)) {
            return;
        }
        builder(clientId).add(message, sub);
    }

    @Override
    public void sharedGroup(TopicTree.SharedGroup group) {
        if (relayedTo != null || !forwardedGroups.isEmpty() && forwardedGroups.contains(group.sharedFilter())) {
            return; // the cluster's members share it (ADR 13)
        }
        Map.Entry<String, Subscription> member =
                GroupQueues.receiver(context, group, group.nextIndex(), message.topic());
        List<Delivery> list = shared;
        if (list == null) {
            list = new ArrayList<>(1);
            shared = list;
        }
        if (member != null) {
            list.add(new DeliveryBuilder(member.getKey())
                    .add(message, member.getValue())
                    .build());
        } else {
            // no online member may receive it: the group's own queue keeps it (see GroupQueues)
            list.add(new Delivery(
                    GroupQueues.key(group.sharedFilter()),
                    QoS.min(message.qos(), highestQos(group)),
                    false,
                    List.of()));
        }
    }

    /** The builder of {@code clientId}'s delivery (one client may match through several filters). */
    private DeliveryBuilder builder(String clientId) {
        Map<String, DeliveryBuilder> byId = index;
        if (byId != null) {
            DeliveryBuilder b = byId.get(clientId);
            if (b == null) {
                b = new DeliveryBuilder(clientId);
                byId.put(clientId, b);
                direct.add(b);
            }
            return b;
        }
        for (DeliveryBuilder b : direct) {
            if (b.clientId.equals(clientId)) {
                return b;
            }
        }
        DeliveryBuilder b = new DeliveryBuilder(clientId);
        direct.add(b);
        if (direct.size() > LINEAR_MAX) {
            byId = new HashMap<>();
            for (DeliveryBuilder x : direct) {
                byId.put(x.clientId, x);
            }
            index = byId;
        }
        return b;
    }

    private static QoS highestQos(TopicTree.SharedGroup group) {
        QoS q = QoS.AT_MOST_ONCE;
        for (Subscription s : group.members().values()) {
            q = QoS.max(q, s.qos());
        }
        return q;
    }

    /** Merges the matching subscriptions of one client into one delivery. */
    static final class DeliveryBuilder {
        final String clientId;

        @Nullable
        QoS qos;

        boolean retain;
        /** Subscription identifiers; null while there is none (most subscriptions have none). */
        @Nullable
        List<Integer> ids;

        DeliveryBuilder(String clientId) {
            this.clientId = clientId;
        }

        DeliveryBuilder add(StoredMessage message, Subscription sub) {
            // [MQTT-3.3.5-1] delivered with the maximum QoS of the overlapping subscriptions, each capped at
            // the published QoS
            QoS q = QoS.min(message.qos(), sub.qos());
            qos = qos == null ? q : QoS.max(qos, q);
            // [MQTT-3.3.1-12] Retain As Published keeps the flag; otherwise it is cleared [MQTT-3.3.1-9]
            retain |= message.retain() && sub.retainAsPublished();
            if (sub.subscriptionId() > 0) {
                if (ids == null) {
                    ids = new ArrayList<>(1);
                }
                ids.add(sub.subscriptionId());
            }
            return this;
        }

        Delivery build() {
            // List.of() is what QueueEntry's List.copyOf keeps without a copy
            List<Integer> list = ids == null ? List.of() : List.copyOf(ids);
            return new Delivery(clientId, Objects.requireNonNull(qos, "built after add"), retain, list);
        }
    }
}
