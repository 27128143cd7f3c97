package io.berth.broker.session;

import io.berth.broker.config.QueueLimits;
import io.berth.broker.store.Subscription;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What an operator sees of a session.
 *
 * @param online whether a client is connected to it
 * @param lastSeenMillis when its connection ended (0 while online)
 * @param expiryIntervalSeconds session expiry interval (4294967295 = never)
 * @param queuedMessages messages queued, in flight included
 * @param queuedBytes payload and topic bytes queued
 * @param inflight messages sent and not yet acknowledged
 * @param inboundQos2 packet ids of inbound QoS 2 messages awaiting PUBREL
 * @param willTopic the topic of its will message, or null
 * @param owner the user that created it, empty when anonymous
 * @param limits the queue limits that apply to it
 * @param node the cluster node that serves it (owns it), null on a single node
 */
public record SessionInfo(
        String clientId,
        boolean online,
        String protocol,
        long lastSeenMillis,
        long expiryIntervalSeconds,
        long queuedMessages,
        long queuedBytes,
        int inflight,
        List<Integer> inboundQos2,
        List<Subscription> subscriptions,
        @Nullable String willTopic,
        String owner,
        QueueLimits limits,
        @Nullable String node) {

    public SessionInfo {
        inboundQos2 = List.copyOf(inboundQos2);
        subscriptions = List.copyOf(subscriptions);
    }
}
