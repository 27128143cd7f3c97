package io.berth.broker.session;

import io.berth.broker.config.OverflowPolicy;
import io.berth.broker.config.QueueLimits;
import io.berth.broker.metrics.BrokerMetrics;
import io.berth.broker.store.InflightRecord;
import io.berth.broker.store.QueueEntry;
import io.berth.broker.store.QueuedMessage;
import io.berth.broker.store.RecoveredSession;
import io.berth.broker.store.SessionStore;
import io.berth.broker.store.StoreCommand;
import io.berth.broker.store.StoredMessage;
import io.berth.codec.MqttEncoder;
import io.berth.codec.MqttProperties;
import io.berth.codec.PublishPacket;
import io.berth.codec.PubrelPacket;
import io.berth.codec.QoS;
import io.berth.codec.ReasonCode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A session's outbound side: its queue (on the store, with head and tail here), the messages in flight,
 * and the pump that sends as many as the client's window allows, in order: first what was in flight
 * before a reconnect (PUBLISH with DUP, or PUBREL), then the queue.
 *
 * <p>Packet identifiers are derived from the queue sequence number ({@code seq % 65535 + 1}), so a
 * message resent after a crash carries the same packet identifier even when its in-flight record was
 * not yet written. No two in-flight messages share one: the pump never sends a sequence number 65535 or
 * more past the oldest in flight.
 *
 * <p>Threading: owned by the session's shard; every method runs on it.
 */
final class OutboundQueue {
    private static final Logger LOG = LoggerFactory.getLogger(OutboundQueue.class);
    private static final int READ_BATCH = 256;

    private final String clientId;
    private final SessionStore store;
    private final Executor shard;
    private final LongSupplier clock;
    private final BrokerMetrics metrics;
    private final QueueEvents events;
    private QueueLimits limits = QueueLimits.DEFAULT;
    private boolean aboveWatermark;
    /** True while {@link #admit} makes room: the queue is between two states, not to be reported. */
    private boolean admitting;

    private long tail;
    private long committedTail;
    private long nextToSend;
    private long count;
    private long bytes;
    private final InflightWindow inflight = new InflightWindow();
    /** Reserved positions whose commit has not completed; null when none (most of the time). */
    private final PositionSet pending = new PositionSet();
    /** Positions removed by a purge whose commit has not completed: not to be sent meanwhile. */
    private final PositionSet removing = new PositionSet();
    /** Positions below this may have been sent before a crash: their first send carries DUP. */
    private long dupBefore;

    private ClientConnection connection;

    OutboundQueue(
            String clientId,
            SessionStore store,
            Executor shard,
            LongSupplier clock,
            BrokerMetrics metrics,
            QueueEvents events) {
        this.clientId = clientId;
        this.store = store;
        this.shard = shard;
        this.clock = clock;
        this.metrics = metrics;
        this.events = events;
    }

    /** What a queue reports to its shard. Threading: called on the shard. */
    interface QueueEvents {
        /** The queue passed its watermark ({@code high}) or drained back below it. */
        void crossed(String clientId, boolean high, long count, long bytes, QueueLimits limits);

        /** A message was dropped to make room (drop-oldest) for {@code refusal.reason()}. */
        void evicted(String clientId, Refusal refusal);
    }

    void limits(QueueLimits newLimits) {
        limits = newLimits;
    }

    QueueLimits limits() {
        return limits;
    }

    private void added(long messages, long size) {
        count += messages;
        bytes += size;
        metrics.queued(messages, size);
        if (!admitting) {
            checkWatermark();
        }
    }

    /** Raises the watermark event on the way up, and on the way down only below the drained mark. */
    private void checkWatermark() {
        boolean high = aboveWatermark
                ? count >= limits.messageDrainedMark() || bytes >= limits.byteDrainedMark()
                : count >= limits.messageWatermark() || bytes >= limits.byteWatermark();
        if (high != aboveWatermark) {
            aboveWatermark = high;
            events.crossed(clientId, high, count, bytes, limits);
        }
    }

    /**
     * Checks that a message fits within the limits and the broker-wide budget. Under drop-oldest the
     * oldest queued messages not yet sent make room. Returns null when the message may be queued,
     * otherwise the policy that refuses it and why.
     */
    Refusal admit(StoredMessage message, long budget) {
        admitting = true;
        Refusal refusal;
        try {
            refusal = makeRoom(message, budget);
        } finally {
            admitting = false;
        }
        if (refusal != null) {
            checkWatermark();
        }
        // otherwise the caller reserves the position now, which checks the watermark
        return refusal;
    }

    private Refusal makeRoom(StoredMessage message, long budget) {
        int size = message.sizeBytes();
        while (true) {
            String reason = count + 1 > limits.maxMessages() || bytes + size > limits.maxBytes()
                    ? Refusal.QUEUE_FULL
                    : metrics.queuedBytes() + size > budget ? Refusal.BUDGET : null;
            if (reason == null) {
                return null;
            }
            if (limits.overflow() != OverflowPolicy.DROP_OLDEST) {
                return new Refusal(limits.overflow(), reason);
            }
            if (!evictOldest(reason)) {
                // nothing left to evict (all in flight or not yet committed): the new message goes instead
                return new Refusal(OverflowPolicy.DROP_NEW, reason);
            }
        }
    }

    /**
     * Drops the oldest committed message not yet sent; false when there is none. Positions a purge is
     * removing are passed over (and not sent, as they are going anyway).
     */
    private boolean evictOldest(String reason) {
        int skip = removing.size() + inflight.size();
        for (QueuedMessage q : store.readQueue(clientId, nextToSend, committedTail, skip + 1)) {
            long seq = q.entry().seq();
            if (!busy(seq)) {
                nextToSend = seq + 1;
                metrics.dropped(reason);
                events.evicted(clientId, new Refusal(OverflowPolicy.DROP_OLDEST, reason));
                dequeue(seq, q.message());
                return true;
            }
        }
        return false;
    }

    /**
     * Restores the queue bounds and in-flight state read at start. When the session was connected as the
     * broker stopped ({@code wasConnected}), messages near the head may have been sent without their
     * in-flight record reaching the disk: their first send after the restart carries DUP (see ADR 1).
     */
    void restore(RecoveredSession recovered, boolean wasConnected) {
        tail = recovered.queueTail();
        committedTail = tail;
        added(recovered.queuedCount(), recovered.queuedBytes());
        for (InflightRecord r : recovered.inflight()) {
            Outflight o = new Outflight(r.seq(), -1, r.packetId(), r.released() ? QoS.EXACTLY_ONCE : null, 0);
            o.released = r.released();
            inflight.put(o);
        }
        // from the head: what is in flight is resent first and skipped here (see busy)
        nextToSend = recovered.queueHead();
        if (wasConnected) {
            dupBefore = Math.min(tail, recovered.queueHead() + 65_535);
        }
    }

    long count() {
        return count;
    }

    long bytes() {
        return bytes;
    }

    int inflightCount() {
        return inflight.size();
    }

    /** A position the pump must not send from the queue: in flight already, or being removed. */
    private boolean busy(long seq) {
        return inflight.contains(seq) || removing.contains(seq);
    }

    /** Starts sending on a connection whose CONNACK went out. */
    void attach(ClientConnection conn) {
        connection = conn;
        inflight.reset(false);
        pump();
    }

    /** Stops sending: the connection is gone. In-flight messages stay, to be resent. */
    void detach() {
        connection = null;
        recordInflight();
        inflight.reset(true);
    }

    /**
     * Writes "PUBLISH sent" for every message in flight, in one command list, when the connection goes:
     * not per send, which would cost a store write per delivery. After a crash the records of the last
     * connection may be missing; then the resends carry DUP by position instead (see ADR 1).
     */
    private void recordInflight() {
        List<StoreCommand> records = new ArrayList<>();
        for (Outflight o : inflight.inOrder()) {
            if (!o.released && o.sentHere) {
                records.add(new StoreCommand.PutInflight(clientId, new InflightRecord(o.seq, o.packetId, false)));
            }
        }
        if (!records.isEmpty()) {
            store.submit(records);
        }
    }

    /**
     * Reserves the next queue position for a message; the caller commits the returned command and then
     * calls {@link #onCommitted}. Positions may commit out of order: nothing is sent past the lowest
     * position still waiting for its commit.
     */
    StoreCommand.Enqueue reserve(StoredMessage message, Delivery delivery) {
        long seq = tail++;
        QueueEntry entry =
                new QueueEntry(seq, message.id(), delivery.qos(), delivery.retain(), delivery.subscriptionIds());
        pending.add(seq);
        added(1, message.sizeBytes());
        return new StoreCommand.Enqueue(clientId, entry, message);
    }

    /** The commit of a reserved position completed (with {@code error} when it failed). */
    void onCommitted(StoreCommand.Enqueue enqueue, Throwable error) {
        long seq = enqueue.entry().seq();
        pending.remove(seq);
        committedTail = pending.isEmpty() ? tail : pending.first();
        if (error != null) {
            // Not stored: the publisher gets no acknowledgement and sends again. The slot stays empty.
            LOG.warn("queue write for {} failed: {}", clientId, error.toString());
            added(-1, -enqueue.message().sizeBytes());
            pump();
            return;
        }
        if (connection != null && seq == nextToSend && seq < committedTail && windowOpen()) {
            nextToSend = seq + 1;
            sendNew(new QueuedMessage(enqueue.entry(), enqueue.message()));
        }
        pump();
    }

    /** The next sequence number; a session that replaces this one continues from here. */
    long tail() {
        return tail;
    }

    /** Starts numbering at {@code seq} (a fresh session continuing after a discarded one). */
    void startAt(long seq) {
        tail = seq;
        committedTail = seq;
        nextToSend = seq;
    }

    private boolean windowOpen() {
        if (inflight.sentHere() >= connection.sendWindow()) {
            return false;
        }
        return inflight.isEmpty() || nextToSend - inflight.oldestSeq() < 65_535;
    }

    /** Sends what the window allows: in-flight resends first, then queued messages in order. */
    void pump() {
        if (connection == null) {
            return;
        }
        // only after a reconnect is anything in flight not yet sent on this connection
        if (inflight.sentHere() < inflight.size()) {
            for (Outflight o : inflight.inOrder()) {
                if (inflight.sentHere() >= connection.sendWindow()) {
                    break;
                }
                if (!o.sentHere) {
                    resend(o);
                }
            }
        }
        while (connection != null && nextToSend < committedTail && windowOpen()) {
            int room = connection.sendWindow() - inflight.sentHere();
            List<QueuedMessage> batch =
                    store.readQueue(clientId, nextToSend, committedTail, Math.min(room, READ_BATCH));
            if (batch.isEmpty()) {
                nextToSend = committedTail;
                break;
            }
            for (QueuedMessage queued : batch) {
                if (connection == null || !windowOpen()) {
                    break;
                }
                nextToSend = queued.entry().seq() + 1;
                if (!busy(queued.entry().seq())) {
                    sendNew(queued);
                }
            }
        }
        if (connection != null) {
            connection.flush();
        }
    }

    private void resend(Outflight o) {
        if (o.released) {
            inflight.markSent(o);
            connection.send(PubrelPacket.of(o.packetId));
            return;
        }
        QueuedMessage queued = o.message;
        if (queued == null) {
            List<QueuedMessage> read = store.readQueue(clientId, o.seq, o.seq + 1, 1);
            if (read.isEmpty()) {
                LOG.warn("in-flight message {} of {} is missing from the queue; dropped", o.seq, clientId);
                forget(o);
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
                inflight.put(full);
                o = full;
            }
        }
        o.message = queued;
        inflight.markSent(o);
        // [MQTT-4.4.0-1] resend with DUP and the same packet identifier; an in-flight message is not
        // dropped for expiry
        metrics.redelivered();
        connection.send(OutgoingPublish.of(
                queued, o.packetId, true, Math.max(1, OutgoingPublish.remainingExpiry(queued, clock.getAsLong()))));
    }

    private void sendNew(QueuedMessage queued) {
        QueueEntry entry = queued.entry();
        StoredMessage message = queued.message();
        long remaining = OutgoingPublish.remainingExpiry(queued, clock.getAsLong());
        if (remaining <= 0) {
            // 5.0 section 3.3.2.3.3: a message whose expiry passed is not sent
            metrics.dropped("expired");
            dequeue(entry.seq(), message);
            return;
        }
        if (limits.maxAgeSeconds() > 0 && clock.getAsLong() - message.arrivalMillis() > limits.maxAgeSeconds() * 1000) {
            metrics.dropped("max-age");
            dequeue(entry.seq(), message);
            return;
        }
        int packetId = entry.qos() == QoS.AT_MOST_ONCE ? 0 : OutgoingPublish.packetIdOf(entry.seq());
        PublishPacket packet = OutgoingPublish.of(
                queued, packetId, entry.qos() != QoS.AT_MOST_ONCE && entry.seq() < dupBefore, remaining);
        if (MqttEncoder.encodedSize(packet, connection.version()) > connection.maximumPacketSize()) {
            // [MQTT-3.1.2-25] a packet larger than the client's Maximum Packet Size is discarded
            LOG.debug("message {} exceeds the maximum packet size of {}; discarded", entry.seq(), clientId);
            metrics.dropped("too-large");
            dequeue(entry.seq(), message);
            return;
        }
        metrics.delivered();
        if (entry.qos() == QoS.AT_MOST_ONCE) {
            dequeue(entry.seq(), message);
            connection.send(packet);
            return;
        }
        Outflight o = new Outflight(entry.seq(), message.id(), packetId, entry.qos(), message.sizeBytes());
        o.message = queued;
        o.sentHere = true;
        inflight.put(o);
        connection.send(packet);
    }

    /** The first {@code max} messages of the queue, in flight ones first. */
    List<QueuedMessage> peek(int max) {
        long from = inflight.isEmpty() ? nextToSend : Math.min(inflight.oldestSeq(), nextToSend);
        List<QueuedMessage> out = new ArrayList<>();
        for (QueuedMessage q : store.readQueue(clientId, from, committedTail, max + removing.size())) {
            if (!removing.contains(q.entry().seq()) && out.size() < max) {
                out.add(q);
            }
        }
        return out;
    }

    /**
     * Takes up to {@code max} of the oldest queued messages out, to be moved to another queue (a shared
     * group's queue to a member's). They count as gone at once; {@link #taken} says whether the move
     * was committed, or puts them back.
     */
    List<QueuedMessage> take(int max) {
        List<QueuedMessage> out = new ArrayList<>();
        for (QueuedMessage q : store.readQueue(clientId, nextToSend, committedTail, max + removing.size())) {
            if (out.size() < max
                    && !inflight.contains(q.entry().seq())
                    && removing.add(q.entry().seq())) {
                out.add(q);
                added(-1, -q.message().sizeBytes());
            }
        }
        return out;
    }

    /** The move of a message that {@link #take} handed out is over: committed, or not (it stays). */
    void taken(QueuedMessage q, boolean committed) {
        removing.remove(q.entry().seq());
        if (!committed) {
            added(1, q.message().sizeBytes());
        }
    }

    /**
     * Removes the queued messages that {@code select} picks, in one commit; messages in flight are left
     * to finish. Returns how many were removed, once committed.
     */
    CompletableFuture<Long> purge(Purge select) {
        List<StoreCommand> commands = new ArrayList<>();
        List<Long> seqs = new ArrayList<>();
        long removedBytes = 0;
        long from = nextToSend;
        int taken = 0;
        while (from < committedTail) {
            List<QueuedMessage> batch = store.readQueue(clientId, from, committedTail, READ_BATCH);
            if (batch.isEmpty()) {
                break;
            }
            for (QueuedMessage q : batch) {
                long seq = q.entry().seq();
                from = seq + 1;
                if (busy(seq) || !select.matches(q.message(), taken, clock.getAsLong())) {
                    continue;
                }
                taken++;
                seqs.add(seq);
                removedBytes += q.message().sizeBytes();
                commands.add(new StoreCommand.Dequeue(clientId, seq, q.message().id()));
            }
        }
        if (commands.isEmpty()) {
            return CompletableFuture.completedFuture(0L);
        }
        seqs.forEach(removing::add);
        added(-seqs.size(), -removedBytes);
        metrics.dropped("purged", seqs.size());
        long n = seqs.size();
        return store.submit(commands)
                .handleAsync(
                        (v, error) -> {
                            seqs.forEach(removing::remove);
                            if (error != null) {
                                throw new IllegalStateException("purge of " + clientId + " not stored", error);
                            }
                            return n;
                        },
                        shard);
    }

    /** PUBACK from the client. */
    void onPuback(int packetId) {
        Outflight o = inflight.byPacketId(packetId);
        if (o == null || o.qos == QoS.EXACTLY_ONCE) {
            LOG.debug("PUBACK {} from {} matches nothing in flight", packetId, clientId);
            return;
        }
        complete(o);
    }

    /** PUBREC from the client: record the release, then send PUBREL. */
    void onPubrec(int packetId, ReasonCode reason) {
        Outflight o = inflight.byPacketId(packetId);
        if (o == null || o.qos == QoS.AT_LEAST_ONCE) {
            if (connection != null) {
                connection.send(
                        new PubrelPacket(packetId, ReasonCode.PACKET_IDENTIFIER_NOT_FOUND, MqttProperties.EMPTY));
                connection.flush();
            }
            return;
        }
        if (reason.isError()) {
            // 5.0 section 4.3.3: a PUBREC with an error ends the exchange
            complete(o);
            return;
        }
        if (o.released) {
            connection.send(PubrelPacket.of(packetId));
            connection.flush();
            return;
        }
        o.released = true;
        o.message = null;
        ClientConnection conn = connection;
        // The release is stored before PUBREL goes out: after a crash the broker must resend PUBREL, not
        // the PUBLISH, or a client that already completed the exchange would receive the message twice.
        store.submit(new StoreCommand.PutInflight(clientId, new InflightRecord(o.seq, packetId, true)))
                .whenCompleteAsync(
                        (v, error) -> {
                            if (error == null && conn == connection && inflight.holds(o)) {
                                conn.send(PubrelPacket.of(packetId));
                                conn.flush();
                            }
                        },
                        shard);
    }

    /** PUBCOMP from the client. */
    void onPubcomp(int packetId) {
        Outflight o = inflight.byPacketId(packetId);
        if (o == null || !o.released) {
            LOG.debug("PUBCOMP {} from {} matches no released message", packetId, clientId);
            return;
        }
        complete(o);
    }

    private void complete(Outflight o) {
        forget(o);
        long messageId = o.messageId;
        int size = o.sizeBytes;
        if (messageId < 0) {
            // restored at start and completed before it was read: look up what it refers to
            List<QueuedMessage> read = store.readQueue(clientId, o.seq, o.seq + 1, 1);
            if (!read.isEmpty()) {
                messageId = read.get(0).message().id();
                size = read.get(0).message().sizeBytes();
            }
        }
        added(-1, -size);
        store.submit(new StoreCommand.Dequeue(clientId, o.seq, messageId));
        pump();
    }

    private void forget(Outflight o) {
        inflight.remove(o);
    }

    private void dequeue(long seq, StoredMessage message) {
        added(-1, -message.sizeBytes());
        store.submit(new StoreCommand.Dequeue(clientId, seq, message.id()));
    }
}
