package io.berth.client.internal;

import io.berth.client.Message;
import io.berth.client.MessageHandler;
import io.berth.client.MqttClientException;
import io.berth.client.Subscription;
import io.berth.codec.MqttProperties;
import io.berth.codec.QoS;
import io.berth.codec.ReasonCode;
import io.berth.codec.SubackPacket;
import io.berth.codec.SubscribePacket;
import io.berth.codec.TopicSubscription;
import io.berth.codec.Topics;
import io.berth.codec.UnsubackPacket;
import io.berth.codec.UnsubscribePacket;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * The client's subscriptions with their handlers, and the SUBSCRIBE / UNSUBSCRIBE requests on their way.
 * Requests made while offline wait for the next connection; requests whose acknowledgement a lost
 * connection took with it are sent again; when the broker lost the session, every subscription the client
 * holds is sent again before anything else.
 *
 * <p>Threading: owned by the client's event loop; handlers run on the callback thread via
 * {@link Notifier}.
 */
final class Subscriptions {
    private record Entry(Subscription subscription, MessageHandler handler) {
        String filter() {
            return subscription.filter();
        }
    }

    private sealed interface Request permits Subscribe, Unsubscribe {}

    private record Subscribe(List<Entry> entries, CompletableFuture<QoS> done) implements Request {}

    private record Unsubscribe(String filter, CompletableFuture<Void> done) implements Request {}

    private final Link link;
    private final PacketIdAllocator ids;
    private final Notifier notifier;
    private final Map<String, Entry> active = new LinkedHashMap<>();
    private final ArrayDeque<Request> queued = new ArrayDeque<>();
    private final TreeMap<Integer, Request> awaiting = new TreeMap<>();

    Subscriptions(Link link, PacketIdAllocator ids, Notifier notifier) {
        this.link = link;
        this.ids = ids;
        this.notifier = notifier;
    }

    void subscribe(Subscription subscription, MessageHandler handler, CompletableFuture<QoS> done) {
        Entry e = new Entry(subscription, handler);
        active.put(subscription.filter(), e);
        queued.add(new Subscribe(List.of(e), done));
        flush();
    }

    void unsubscribe(String filter, CompletableFuture<Void> done) {
        active.remove(filter);
        queued.add(new Unsubscribe(filter, done));
        flush();
    }

    /** Hands a received message to every matching handler, then runs {@code afterHandled}. */
    void deliver(Message message, Runnable afterHandled) {
        List<MessageHandler> handlers = new ArrayList<>(2);
        for (Entry e : active.values()) {
            String afterGroup = Topics.shareFilter(e.filter());
            String filter = afterGroup != null ? afterGroup : e.filter();
            if (Topics.matches(filter, message.topic())) {
                handlers.add(e.handler());
            }
        }
        notifier.deliver(message, handlers, afterHandled);
    }

    private void flush() {
        while (link.isUp() && !queued.isEmpty() && !ids.isFull()) {
            Request r = queued.poll();
            int id = ids.next();
            awaiting.put(id, r);
            if (r instanceof Subscribe s) {
                List<TopicSubscription> subs = new ArrayList<>();
                Integer identifier = null;
                for (Entry e : s.entries()) {
                    Subscription o = e.subscription();
                    subs.add(new TopicSubscription(
                            o.filter(), o.qos(), o.noLocal(), o.retainAsPublished(), o.retainHandling()));
                    identifier = o.subscriptionIdentifier();
                }
                MqttProperties properties =
                        identifier == null || !link.version().isV5()
                                ? MqttProperties.EMPTY
                                : MqttProperties.builder()
                                        .subscriptionIdentifiers(List.of(identifier))
                                        .build();
                link.write(new SubscribePacket(id, subs, properties));
            } else if (r instanceof Unsubscribe u) {
                link.write(new UnsubscribePacket(id, List.of(u.filter()), MqttProperties.EMPTY));
            }
        }
    }

    void onSuback(SubackPacket p) {
        if (!(awaiting.remove(p.packetId()) instanceof Subscribe s)) {
            return;
        }
        ids.release(p.packetId());
        List<ReasonCode> codes = p.reasonCodes();
        for (int i = 0; i < s.entries().size(); i++) {
            Entry e = s.entries().get(i);
            ReasonCode rc = i < codes.size() ? codes.get(i) : ReasonCode.UNSPECIFIED_ERROR;
            if (rc.isError()) {
                active.remove(e.filter(), e);
                s.done()
                        .completeExceptionally(new MqttClientException(
                                "subscription to " + e.filter() + " refused",
                                rc,
                                p.properties().reasonString(),
                                null,
                                null));
            } else {
                s.done().complete(QoS.fromValue(rc.code()));
            }
        }
        flush();
    }

    void onUnsuback(UnsubackPacket p) {
        if (!(awaiting.remove(p.packetId()) instanceof Unsubscribe u)) {
            return;
        }
        ids.release(p.packetId());
        ReasonCode rc =
                p.reasonCodes().isEmpty() ? ReasonCode.SUCCESS : p.reasonCodes().get(0);
        if (rc.isError()) {
            u.done()
                    .completeExceptionally(new MqttClientException(
                            "unsubscribe from " + u.filter() + " refused",
                            rc,
                            p.properties().reasonString(),
                            null,
                            null));
        } else {
            u.done().complete(null);
        }
        flush();
    }

    /** A new connection was accepted. */
    void onConnected(boolean sessionPresent) {
        List<Request> again = new ArrayList<>(awaiting.values());
        awaiting.keySet().forEach(ids::release);
        awaiting.clear();
        for (int i = again.size() - 1; i >= 0; i--) {
            queued.addFirst(again.get(i));
        }
        if (!sessionPresent) {
            // one SUBSCRIBE per filter: each keeps its own subscription identifier
            List<Entry> all = new ArrayList<>(active.values());
            for (int i = all.size() - 1; i >= 0; i--) {
                queued.addFirst(new Subscribe(List.of(all.get(i)), new CompletableFuture<>()));
            }
        }
        flush();
    }

    /** The client closes: requests still on their way fail. */
    void close() {
        MqttClientException closed = new MqttClientException("client closed");
        awaiting.values().forEach(r -> fail(r, closed));
        queued.forEach(r -> fail(r, closed));
    }

    private static void fail(Request r, MqttClientException e) {
        if (r instanceof Subscribe s) {
            s.done().completeExceptionally(e);
        } else if (r instanceof Unsubscribe u) {
            u.done().completeExceptionally(e);
        }
    }
}
