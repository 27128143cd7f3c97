package io.berth.broker.session;

import io.berth.broker.store.InflightRecord;
import io.berth.broker.store.QueuedMessage;
import io.berth.broker.store.StoreCommand;
import io.berth.codec.MqttProperties;
import io.berth.codec.PubrelPacket;
import io.berth.codec.QoS;
import io.berth.codec.ReasonCode;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a subscriber answers to the messages in flight to it: PUBACK and PUBCOMP end a delivery and
 * dequeue it (lazily: losing the dequeue in a crash only redelivers with DUP); PUBREC makes the broker
 * store the release before it sends PUBREL (ADR 1), so that after a crash PUBREL is resent, not the
 * PUBLISH. After a reconnect, what was in flight is resent first ([MQTT-4.4.0-1]).
 *
 * <p>Threading: every method runs on the queue's shard.
 */
final class SubscriberAcks {
    private static final Logger LOG = LoggerFactory.getLogger(SubscriberAcks.class);

    private SubscriberAcks() {}

    /** PUBACK from the client. */
    static void onPuback(OutboundQueue q, int packetId) {
        Outflight o = q.inflight.byPacketId(packetId);
        if (o == null || o.qos == QoS.EXACTLY_ONCE) {
            LOG.debug("PUBACK {} from {} matches nothing in flight", packetId, q.clientId);
            return;
        }
        complete(q, o);
    }

    /** PUBREC from the client: record the release, then send PUBREL. */
    static void onPubrec(OutboundQueue q, int packetId, ReasonCode reason) {
        Outflight o = q.inflight.byPacketId(packetId);
        if (o == null || o.qos == QoS.AT_LEAST_ONCE) {
            if (q.connection != null) {
                q.connection.send(
                        new PubrelPacket(packetId, ReasonCode.PACKET_IDENTIFIER_NOT_FOUND, MqttProperties.EMPTY));
                q.connection.flush();
            }
            return;
        }
        if (reason.isError()) {
            // 5.0 section 4.3.3: a PUBREC with an error ends the exchange
            complete(q, o);
            return;
        }
        if (o.released) {
            q.attached().send(PubrelPacket.of(packetId));
            q.attached().flush();
            return;
        }
        o.released = true;
        o.message = null;
        ClientConnection conn = q.connection;
        // The release is stored before PUBREL goes out: after a crash the broker must resend PUBREL, not
        // the PUBLISH, or a client that already completed the exchange would receive the message twice.
        q.store
                .submit(new StoreCommand.PutInflight(q.clientId, new InflightRecord(o.seq, packetId, true)))
                .whenCompleteAsync(
                        (v, error) -> {
                            if (error == null && conn != null && conn == q.connection && q.inflight.holds(o)) {
                                conn.send(PubrelPacket.of(packetId));
                                conn.flush();
                            }
                        },
                        q.shard);
    }

    /** PUBCOMP from the client. */
    static void onPubcomp(OutboundQueue q, int packetId) {
        Outflight o = q.inflight.byPacketId(packetId);
        if (o == null || !o.released) {
            LOG.debug("PUBCOMP {} from {} matches no released message", packetId, q.clientId);
            return;
        }
        complete(q, o);
    }

    private static void complete(OutboundQueue q, Outflight o) {
        q.forget(o);
        long messageId = o.messageId;
        int size = o.sizeBytes;
        if (messageId < 0) {
            // restored at start and completed before it was read: look up what it refers to
            List<QueuedMessage> read = q.store.readQueue(q.clientId, o.seq, o.seq + 1, 1);
            if (!read.isEmpty()) {
                messageId = read.get(0).message().id();
                size = read.get(0).message().sizeBytes();
            }
        }
        q.added(-1, -size);
        // lazy: it rides in this tick's batch (after its enqueue's commit: ADR 18), and losing it in a
        // crash only redelivers (ADR 7)
        q.dequeueLazily(
                messageId < 0
                        ? new StoreCommand.Dequeue(q.clientId, o.seq, messageId)
                        : new StoreCommand.Dequeue(q.clientId, o.seq, messageId, size));
        q.pump();
    }

    /** Sends a message in flight again on a new connection: PUBREL, or the PUBLISH with DUP. */
    static void resend(OutboundQueue q, Outflight o) {
        if (o.released) {
            q.inflight.markSent(o);
            q.attached().send(PubrelPacket.of(o.packetId));
            return;
        }
        QueuedMessage queued = o.message;
        if (queued == null) {
            List<QueuedMessage> read = q.store.readQueue(q.clientId, o.seq, o.seq + 1, 1);
            if (read.isEmpty()) {
                LOG.warn("in-flight message {} of {} is missing from the queue; dropped", o.seq, q.clientId);
                q.forget(o);
                return;
            }
            queued = read.get(0);
            if (o.qos == null) {
                // restored at start: fill in what the in-flight record does not hold
                Outflight full = new Outflight(
                        o.seq,
                        queued.message().id(),
                        o.packetId,
                        queued.entry().qos(),
                        queued.message().sizeBytes());
                q.inflight.put(full);
                o = full;
            }
        }
        o.message = queued;
        q.inflight.markSent(o);
        // [MQTT-4.4.0-1] resend with DUP and the same packet identifier; an in-flight message is not
        // dropped for expiry
        q.metrics.redelivered();
        q.attached()
                .send(OutgoingPublish.of(
                        queued,
                        o.packetId,
                        true,
                        Math.max(1, OutgoingPublish.remainingExpiry(queued, q.clock.getAsLong()))));
    }
}
