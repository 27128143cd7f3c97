package io.berth.broker.session;

import io.berth.broker.store.StoreCommand;
import io.berth.broker.store.StoredMessage;
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
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
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

    @Nullable
    Session session(ClientConnection conn) {
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
                owner.router().publish(message, shard, null);
                conn.inboundDone();
            }
            case AT_LEAST_ONCE -> {
                if (!admitInbound(s, conn)) {
                    return;
                }
                AckQueue.Pending ack = s.acks.add(
                        PubackPacket.of(p.packetId()),
                        new PubackPacket(p.packetId(), ReasonCode.QUOTA_EXCEEDED, MqttProperties.EMPTY),
                        new PubackPacket(p.packetId(), ReasonCode.IMPLEMENTATION_SPECIFIC_ERROR, MqttProperties.EMPTY),
                        true);
                owner.router().publish(message, shard, (rejected, error) -> {
                    // the inbound PUBLISH is finished: the connection may read more
                    conn.inboundDone();
                    if (s.isConnectedTo(conn)) {
                        s.acks.complete(ack, rejected && conn.version().isV5(), error);
                        sendAcks(s, conn);
                    }
                });
            }
            case EXACTLY_ONCE -> publishQos2(s, conn, p, message);
        }
    }

    private void publishQos2(Session s, ClientConnection conn, PublishPacket p, StoredMessage message) {
        int id = p.packetId();
        MqttPacket failed = new PubrecPacket(id, ReasonCode.IMPLEMENTATION_SPECIFIC_ERROR, MqttProperties.EMPTY);
        InboundExchange earlier = s.inbound.get(id);
        if (earlier != null) {
            // [MQTT-4.3.3-9] a resent PUBLISH whose PUBREL has not come is not delivered again; its PUBREC goes
            // once the first one committed
            AckQueue.Pending ack = s.acks.add(PubrecPacket.of(id), null, failed, false);
            earlier.whenSettled(() -> {
                conn.inboundDone();
                completeAck(s, conn, ack, false, earlier.error());
            });
            return;
        }
        if (!conn.version().isV5() && s.inbound.size() >= shard.context.config().receiveMaximum()) {
            // 3.1.1 has no Receive Maximum: QoS 2 exchanges left open (no PUBREL) are held to the same count,
            // or one client could keep 65,535 of them per session
            LOG.debug("{} left too many QoS 2 exchanges open", conn.describe());
            conn.close(ReasonCode.RECEIVE_MAXIMUM_EXCEEDED);
            return;
        }
        if (!admitInbound(s, conn)) {
            return;
        }
        InboundExchange exchange = new InboundExchange();
        s.inbound.put(id, exchange);
        AckQueue.Pending ack = s.acks.add(
                PubrecPacket.of(id),
                new PubrecPacket(id, ReasonCode.QUOTA_EXCEEDED, MqttProperties.EMPTY),
                failed,
                false);
        // the packet id is committed atomically with the routed message (ADR 2, AtomicRoute)
        owner.router()
                .publishAtomically(
                        message,
                        shard,
                        s.store,
                        List.of(new StoreCommand.PutInbound(s.clientId, id)),
                        (rejected, error) -> {
                            // the inbound PUBLISH is finished: the connection may read more
                            conn.inboundDone();
                            boolean refused =
                                    error == null && rejected && conn.version().isV5();
                            if (s.inbound.get(id) == exchange && (error != null || refused)) {
                                // 5.0 section 4.3.3: after a PUBREC with an error the exchange is over and the
                                // packet id free: no PUBREL will come, so neither the id nor the Receive Maximum
                                // slot may stay taken
                                s.inbound.remove(id);
                                s.inboundUnacked = Math.max(0, s.inboundUnacked - 1);
                                if (refused) {
                                    shard.batch.add(s.store, new StoreCommand.DeleteInbound(s.clientId, id));
                                }
                            }
                            exchange.settle(error);
                            completeAck(s, conn, ack, refused, error);
                        });
    }

    /** One thing {@code ack} waited for ended: sends what is ready, if the connection is still there. */
    private void completeAck(
            Session s, ClientConnection conn, AckQueue.Pending ack, boolean rejected, @Nullable Throwable error) {
        if (s.isConnectedTo(conn)) {
            s.acks.complete(ack, rejected, error);
            sendAcks(s, conn);
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

    private void refuseInvalidPayload(Session s, ClientConnection conn, PublishPacket p) {
        LOG.debug("{} sent a PUBLISH whose payload is not UTF-8 as its format indicator says", conn.describe());
        answerUnrouted(s, conn, p, ReasonCode.PAYLOAD_FORMAT_INVALID);
    }

    /** Acknowledges a PUBLISH that is not routed with {@code rc}, in order with the other acks. */
    private void answerUnrouted(Session s, ClientConnection conn, PublishPacket p, ReasonCode rc) {
        conn.inboundDone();
        switch (p.qos()) {
            case AT_MOST_ONCE -> {}
            case AT_LEAST_ONCE -> answerNow(s, conn, new PubackPacket(p.packetId(), rc, MqttProperties.EMPTY));
            case EXACTLY_ONCE -> answerNow(s, conn, new PubrecPacket(p.packetId(), rc, MqttProperties.EMPTY));
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
     * Queues an acknowledgement (SUBACK, UNSUBACK) that goes once {@code stored} completes and every
     * earlier one went out. A failed store sends {@code failed} on 5.0 and closes a 3.1.1 connection,
     * which has no way to say it.
     */
    AckQueue.Pending acknowledge(
            Session s, ClientConnection conn, CompletableFuture<?> stored, MqttPacket ok, @Nullable MqttPacket failed) {
        AckQueue.Pending ack = s.acks.add(ok, null, failed, false);
        awaitCommit(s, conn, stored, ack);
        return ack;
    }

    /** Lets {@code ack}, queued already, go once {@code stored} completes (see {@link #acknowledge}). */
    void awaitCommit(Session s, ClientConnection conn, CompletableFuture<?> stored, AckQueue.Pending ack) {
        stored.whenComplete((v, error) -> shard.onShard(() -> completeAck(s, conn, ack, false, error)));
    }

    /** Queues an acknowledgement that waits only for the ones before it. */
    void answerNow(Session s, ClientConnection conn, MqttPacket packet) {
        s.acks.addReady(packet);
        sendAcks(s, conn);
    }

    /** Sends the acknowledgements that are ready, in order, and flushes once. */
    void sendAcks(Session s, ClientConnection conn) {
        int sent = s.acks.drain(ack -> {
            if (ack.releasesSlot && s.inboundUnacked > 0) {
                s.inboundUnacked--;
            }
            if (ack.error() == null) {
                conn.send(ack.answer());
            } else if (conn.version().isV5() && ack.failed != null) {
                LOG.warn(
                        "request of {} not stored: {}",
                        conn.describe(),
                        ack.error().toString());
                conn.send(ack.failed);
            } else {
                LOG.warn(
                        "request of {} not stored, closing: {}",
                        conn.describe(),
                        ack.error().toString());
                conn.close(ReasonCode.IMPLEMENTATION_SPECIFIC_ERROR);
            }
            if (ack.then != null) {
                ack.then.run();
            }
        });
        if (sent > 0) {
            conn.flush();
        }
    }

    void pubrel(ClientConnection conn, PubrelPacket p) {
        Session s = session(conn);
        if (s == null) {
            return;
        }
        InboundExchange received = s.inbound.remove(p.packetId());
        if (received == null) {
            // [MQTT-4.3.3-11] nothing pending: complete anyway (5.0 says the id was not found)
            ReasonCode rc = conn.version().isV5() ? ReasonCode.PACKET_IDENTIFIER_NOT_FOUND : ReasonCode.SUCCESS;
            answerNow(s, conn, new PubcompPacket(p.packetId(), rc, MqttProperties.EMPTY));
            return;
        }
        AckQueue.Pending ack = s.acks.add(
                PubcompPacket.of(p.packetId()),
                null,
                new PubcompPacket(p.packetId(), ReasonCode.IMPLEMENTATION_SPECIFIC_ERROR, MqttProperties.EMPTY),
                true);
        // a PUBREL that comes before its PUBLISH committed waits for that commit; the inbound record's removal
        // is durable before PUBCOMP: otherwise, after a crash, a new PUBLISH reusing the packet id would be
        // taken as a resend and lost
        received.whenSettled(() -> {
            Throwable failed = received.error();
            if (failed != null) {
                completeAck(s, conn, ack, false, failed);
                return;
            }
            shard.batch.add(s.store, new StoreCommand.DeleteInbound(s.clientId, p.packetId()));
            shard.batch.whenCommitted(s.store, error -> completeAck(s, conn, ack, false, error));
        });
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
