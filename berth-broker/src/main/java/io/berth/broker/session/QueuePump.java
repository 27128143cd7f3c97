package io.berth.broker.session;

import io.berth.broker.config.QueueLimits;
import io.berth.broker.store.QueueEntry;
import io.berth.broker.store.QueuedMessage;
import io.berth.broker.store.StoredMessage;
import io.berth.codec.MqttEncoder;
import io.berth.codec.PublishPacket;
import io.berth.codec.QoS;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pump of an {@link OutboundQueue}: what it sends when, in order. First what was in flight before a
 * reconnect, then the queue from {@code nextToSend}, from what memory holds (a store read is started when
 * it holds nothing there), as long as the client's window is open. It stops at the first position whose
 * commit has not completed, unless the store lets a QoS 1 message go before its commit (ADR 18). A
 * message that may not be sent (expired, too old for the queue's limits, larger than the client takes)
 * is dropped and dequeued.
 *
 * <p>Threading: every method runs on the queue's shard.
 */
final class QueuePump {
    private static final Logger LOG = LoggerFactory.getLogger(QueuePump.class);

    private QueuePump() {}

    /** Sends what the window allows: in-flight resends first, then queued messages in order. */
    static void pump(OutboundQueue q) {
        HeldMessages held = q.held;
        InflightWindow inflight = q.inflight;
        if (q.connection == null || held == null) {
            return;
        }
        // only after a reconnect is anything in flight not yet sent on this connection
        if (inflight.sentHere() < inflight.size()) {
            for (Outflight o : inflight.inOrder()) {
                if (inflight.sentHere() >= q.attached().sendWindow()) {
                    break;
                }
                if (!o.sentHere) {
                    SubscriberAcks.resend(q, o);
                }
            }
        }
        while (q.connection != null
                && (q.nextToSend < q.committedTail || sendableBeforeCommit(q, held))
                && windowOpen(q)) {
            long seq = q.nextToSend;
            if (!held.holds(seq)) {
                held.readAhead(seq, q.committedTail);
                break;
            }
            QueuedMessage queued = held.get(seq);
            boolean send = queued != null && !q.busy(seq);
            q.passTo(seq + 1);
            if (send) {
                sendNew(q, queued);
            }
        }
        ClientConnection connection = q.connection;
        if (connection != null) {
            connection.flush();
        }
        Pacing pacing = q.pacing;
        if (pacing != null) {
            pacing.sent(q.waiting());
        }
    }

    private static boolean windowOpen(OutboundQueue q) {
        InflightWindow inflight = q.inflight;
        if (inflight.sentHere() >= q.attached().sendWindow()) {
            return false;
        }
        return inflight.isEmpty() || q.nextToSend - inflight.oldestSeq() < 65_535;
    }

    /**
     * Whether the pump may go on past the committed positions (ADR 18): the next position is committed
     * already (positions commit out of order), or it is a QoS 1 message memory holds. A QoS 2 message
     * waits for its commit, and so does everything behind it.
     */
    private static boolean sendableBeforeCommit(OutboundQueue q, HeldMessages held) {
        long seq = q.nextToSend;
        if (!q.sendsBeforeCommit || seq >= q.tail() || !held.holds(seq)) {
            return false;
        }
        if (!q.pending.contains(seq)) {
            return true;
        }
        QueuedMessage queued = held.get(seq);
        return queued != null && queued.entry().qos() == QoS.AT_LEAST_ONCE;
    }

    private static void sendNew(OutboundQueue q, QueuedMessage queued) {
        QueueEntry entry = queued.entry();
        StoredMessage message = queued.message();
        long remaining = OutgoingPublish.remainingExpiry(queued, q.clock.getAsLong());
        if (remaining <= 0) {
            // 5.0 section 3.3.2.3.3: a message whose expiry passed is not sent
            q.metrics.dropped("expired");
            q.dequeue(entry.seq(), message);
            return;
        }
        QueueLimits limits = q.limits();
        if (limits.maxAgeSeconds() > 0
                && q.clock.getAsLong() - message.arrivalMillis() > limits.maxAgeSeconds() * 1000) {
            q.metrics.dropped("max-age");
            q.dequeue(entry.seq(), message);
            return;
        }
        int packetId = entry.qos() == QoS.AT_MOST_ONCE ? 0 : OutgoingPublish.packetIdOf(entry.seq());
        PublishPacket packet = OutgoingPublish.of(
                queued, packetId, entry.qos() != QoS.AT_MOST_ONCE && entry.seq() < q.dupBefore, remaining);
        if (MqttEncoder.encodedSize(packet, q.attached().version())
                > q.attached().maximumPacketSize()) {
            // [MQTT-3.1.2-25] a packet larger than the client's Maximum Packet Size is discarded
            LOG.debug("message {} exceeds the maximum packet size of {}; discarded", entry.seq(), q.clientId);
            q.metrics.dropped("too-large");
            q.dequeue(entry.seq(), message);
            return;
        }
        q.metrics.delivered();
        if (entry.qos() == QoS.AT_MOST_ONCE) {
            q.dequeue(entry.seq(), message);
            q.attached().send(packet);
            return;
        }
        Outflight o = new Outflight(entry.seq(), message.id(), packetId, entry.qos(), message.sizeBytes());
        o.message = queued;
        o.sentHere = true;
        q.inflight.put(o);
        q.attached().send(packet);
    }
}
