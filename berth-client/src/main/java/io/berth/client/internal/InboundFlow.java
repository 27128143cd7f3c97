package io.berth.client.internal;

import io.berth.client.Message;
import io.berth.client.store.SessionChange;
import io.berth.codec.MqttProperties;
import io.berth.codec.PubackPacket;
import io.berth.codec.PubcompPacket;
import io.berth.codec.PublishPacket;
import io.berth.codec.PubrecPacket;
import io.berth.codec.PubrelPacket;
import io.berth.codec.QoS;
import io.berth.codec.ReasonCode;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The incoming half of a session. QoS 1: the handler runs, then PUBACK. QoS 2 (exactly once): the packet
 * identifier is made durable in the store first, then the handler runs, then PUBREC; a PUBLISH whose
 * identifier is already stored is a duplicate and only answered with PUBREC; PUBREL removes the identifier
 * durably before PUBCOMP. So a message is handed over at most once even across a crash of the client;
 * a crash between the store write and the end of the handler loses that one delivery.
 *
 * <p>Threading: owned by the client's event loop.
 */
final class InboundFlow {
    private static final Logger LOG = LoggerFactory.getLogger(InboundFlow.class);

    private final ClientConfig config;
    private final EventLoop loop;
    private final Link link;
    private final Subscriptions subscriptions;
    private final ChangeBatch changes;
    /** Inbound QoS 2 packet identifiers awaiting PUBREL; true once the store holds them. */
    private final Map<Integer, Boolean> qos2 = new HashMap<>();
    /** QoS 1 and 2 PUBLISHes of this connection not yet acknowledged, against the client's Receive Maximum. */
    private int unacknowledged;

    InboundFlow(ClientConfig config, EventLoop loop, Link link, Subscriptions subscriptions, ChangeBatch changes) {
        this.config = config;
        this.loop = loop;
        this.link = link;
        this.subscriptions = subscriptions;
        this.changes = changes;
    }

    void restore(Set<Integer> packetIds) {
        packetIds.forEach(id -> qos2.put(id, true));
    }

    /** A new connection: the broker's send quota starts again at the client's Receive Maximum. */
    void onConnected() {
        unacknowledged = 0;
    }

    /** Runs {@code ack} on the event loop and frees one place of the connection's Receive Maximum. */
    private Runnable acknowledge(Runnable ack) {
        int epoch = link.epoch();
        return () -> loop.execute(() -> {
            if (link.epoch() == epoch && unacknowledged > 0) {
                unacknowledged--;
            }
            ack.run();
        });
    }

    /** Handles a PUBLISH; false when it exceeds the client's Receive Maximum. */
    boolean onPublish(PublishPacket p) {
        Message m = new Message(p.topic(), p.payload(), p.qos(), p.retain(), WireProperties.fromWire(p.properties()));
        Channel ch = arrivedOn();
        int id = p.packetId();
        boolean isNew = p.qos() == QoS.AT_LEAST_ONCE || (p.qos() == QoS.EXACTLY_ONCE && !qos2.containsKey(id));
        if (isNew && ++unacknowledged > config.receiveMaximum()) {
            return false;
        }
        switch (p.qos()) {
            case AT_MOST_ONCE -> subscriptions.deliver(m, () -> {});
            case AT_LEAST_ONCE -> subscriptions.deliver(m, acknowledge(() -> ch.writeAndFlush(PubackPacket.of(id))));
            case EXACTLY_ONCE -> {
                Boolean durable = qos2.get(id);
                if (durable == null) {
                    qos2.put(id, false);
                    changes.add(new SessionChange.InboundReceived(id), e -> {
                        if (e != null) {
                            LOG.warn("{}: cannot store inbound packet id {}", config.clientId(), id, e);
                            qos2.remove(id);
                            return;
                        }
                        qos2.put(id, true);
                        subscriptions.deliver(m, () -> ch.writeAndFlush(PubrecPacket.of(id)));
                    });
                } else if (durable) {
                    link.write(PubrecPacket.of(id));
                }
            }
        }
        return true;
    }

    void onPubrel(PubrelPacket p) {
        int id = p.packetId();
        Boolean durable = qos2.get(id);
        if (durable == null) {
            link.write(new PubcompPacket(id, ReasonCode.PACKET_IDENTIFIER_NOT_FOUND, MqttProperties.EMPTY));
            return;
        }
        if (!durable) {
            return;
        }
        qos2.remove(id);
        Channel ch = arrivedOn();
        changes.add(new SessionChange.InboundReleased(id), e -> {
            if (e == null) {
                acknowledge(() -> ch.writeAndFlush(PubcompPacket.of(id))).run();
            }
        });
    }

    /** The broker has no session for us: its QoS 2 state is gone, so ours goes too. */
    void sessionLost() {
        if (!qos2.isEmpty()) {
            qos2.clear();
            changes.add(new SessionChange.InboundCleared());
        }
    }

    /** The channel a packet was just read from: the link is up while its packets are read. */
    private Channel arrivedOn() {
        Channel ch = link.channel();
        if (ch == null) {
            throw new IllegalStateException("a packet was read while the link is down");
        }
        return ch;
    }
}
