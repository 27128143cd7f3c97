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
import io.berth.codec.QoS;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A session's outbound side: its queue (on the store, with head and tail here, and what memory holds of
 * it while online in {@link HeldMessages}), the messages in flight, and the pump that sends as many as
 * the client's window allows, in order: first what was in flight before a reconnect (PUBLISH with DUP,
 * or PUBREL), then the queue. How full the queue is against its limits is kept by {@link QueueBounds}.
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
    /** How many positions one store read brings in ahead of the pump. */
    static final int READ_BATCH = 256;

    final String clientId;
    final SessionStore store;
    final Executor shard;
    private final Executor reader; // for held: where store reads past what memory holds run
    private final HeldBudget budget; // for held: the shard's budget for what memory holds
    /** The shard's batch of this tick: dequeues ride in it (they are lazy, see ADR 7). */
    final TickBatch batch;

    final LongSupplier clock;
    final BrokerMetrics metrics;
    private final QueueEvents events;
    /** Count and bytes queued, against the limits. */
    private final QueueBounds bounds;

    private long tail;
    long committedTail;
    long nextToSend;
    final InflightWindow inflight = new InflightWindow();
    /** Reserved positions whose commit has not completed; null when none (most of the time). */
    final PositionSet pending = new PositionSet();
    /** Dequeues of positions sent before their commit, until it completes (ADR 18). */
    private final EarlyAcks earlyAcks = new EarlyAcks();
    /** True when a QoS 1 position may be sent before its commit (ADR 18). */
    final boolean sendsBeforeCommit;
    /** Positions removed by a purge whose commit has not completed: not to be sent meanwhile. */
    final PositionSet removing = new PositionSet();
    /**
     * Positions at or past {@link #nextToSend} whose delivery already ended: restored in flight at start
     * and completed before the pump reached them. Their dequeue is lazy, so a store read (or what memory
     * holds) may still bring them back: not to be sent again.
     */
    private final PositionSet endedAhead = new PositionSet();
    /** What memory holds of the queue, so that the pump seldom reads the store; null while offline. */
    @Nullable
    HeldMessages held;
    /** Positions below this may have been sent before a crash: their first send carries DUP. */
    long dupBefore;
    /** Publishers' acknowledgements held while this session is far behind; null while offline. */
    @Nullable
    Pacing pacing;

    @Nullable
    ClientConnection connection;

    /** The connection, for the steps that run only while one is attached. */
    ClientConnection attached() {
        ClientConnection c = connection;
        if (c == null) {
            throw new IllegalStateException(clientId + " has no connection");
        }
        return c;
    }

    OutboundQueue(
            String clientId,
            SessionStore store,
            Executor shard,
            Executor reader,
            HeldBudget budget,
            TickBatch batch,
            LongSupplier clock,
            BrokerMetrics metrics,
            QueueEvents events) {
        this.clientId = clientId;
        this.store = store;
        this.shard = shard;
        this.batch = batch;
        this.reader = reader;
        this.budget = budget;
        this.clock = clock;
        this.metrics = metrics;
        this.events = events;
        this.bounds = new QueueBounds(clientId, metrics, events, this::evictOldest);
        this.sendsBeforeCommit = store.sendsBeforeCommit();
    }

    /** Messages reserved for this session and not sent yet. */
    long waiting() {
        return tail - nextToSend;
    }

    /** What a queue reports to its shard. Threading: called on the shard. */
    interface QueueEvents {
        /** The queue passed its watermark ({@code high}) or drained back below it. */
        void crossed(String clientId, boolean high, long count, long bytes, QueueLimits limits);

        /** A message was dropped to make room (drop-oldest) for {@code refusal.reason()}. */
        void evicted(String clientId, Refusal refusal);
    }

    void limits(QueueLimits newLimits) {
        bounds.limits(newLimits);
    }

    QueueLimits limits() {
        return bounds.limits();
    }

    /** Counts {@code messages} and {@code size} bytes more (or fewer, when negative) in the queue. */
    void added(long messages, long size) {
        bounds.added(messages, size);
    }

    /**
     * Checks that a message fits within the limits and the broker-wide budget (see {@link
     * QueueBounds#admit}). Under drop-oldest the oldest queued messages not yet sent make room. Returns
     * null when the message may be queued, otherwise the policy that refuses it and why.
     */
    @Nullable
    Refusal admit(StoredMessage message, long budget) {
        return bounds.admit(message, budget);
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
                passTo(seq + 1);
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
        return bounds.count();
    }

    long bytes() {
        return bounds.bytes();
    }

    int inflightCount() {
        return inflight.size();
    }

    /**
     * A position the pump must not send from the queue: in flight already, being removed, or its delivery
     * ended already.
     */
    boolean busy(long seq) {
        return inflight.contains(seq) || removing.contains(seq) || endedAhead.contains(seq);
    }

    /**
     * The delivery in flight at {@code seq} ended (PUBACK, PUBCOMP, or PUBREC with an error). When it was
     * restored in flight at start, the pump has not passed its position yet: it must pass it over.
     */
    void ended(long seq) {
        if (seq >= nextToSend) {
            endedAhead.add(seq);
            if (held != null) {
                held.remove(seq);
            }
        }
    }

    /** The pump moves on to {@code next}: what lies below it is let go. */
    void passTo(long next) {
        nextToSend = next;
        if (held != null) {
            held.dropBelow(next);
        }
        endedAhead.removeBelow(next);
    }

    /** Starts sending on a connection whose CONNACK went out, with what only an online session needs. */
    void attach(ClientConnection conn) {
        connection = conn;
        if (held == null) {
            held = new HeldMessages(clientId, store, shard, reader, budget, () -> nextToSend, this::pump);
            pacing = Pacing.on(shard);
        }
        inflight.reset(false);
        pump();
    }

    /** Stops sending: the connection is gone. In-flight messages stay, to be resent; online-only state goes. */
    void detach() {
        connection = null;
        if (pacing != null) {
            pacing.releaseAll();
        }
        pacing = null;
        List<StoreCommand> records = inflight.sentRecords(clientId, pending);
        if (!records.isEmpty()) {
            store.submit(records);
        }
        inflight.reset(true);
        if (held != null) {
            held.reset();
        }
        held = null;
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
        if (held != null) {
            held.hold(new QueuedMessage(entry, message));
            if (sendsBeforeCommit && seq == nextToSend && connection != null) {
                pump();
            }
        }
        return new StoreCommand.Enqueue(clientId, entry, message);
    }

    /** The commit of a reserved position completed (with {@code error} when it failed). */
    void onCommitted(StoreCommand.Enqueue enqueue, @Nullable Throwable error) {
        long seq = enqueue.entry().seq();
        pending.remove(seq);
        committedTail = pending.isEmpty() ? tail : pending.first();
        if (error != null) {
            // Not stored: the publisher gets no acknowledgement and sends again. The slot stays empty.
            LOG.warn("queue write for {} failed: {}", clientId, error.toString());
            Outflight sent = inflight.bySeq(seq);
            if (sent != null) {
                // sent before its commit (ADR 18): it stays delivered, as a resend by its publisher will be
                inflight.remove(sent);
            }
            if (!earlyAcks.dropFailed(seq)) {
                added(-1, -enqueue.message().sizeBytes());
            }
            if (held != null) {
                held.remove(seq);
            }
        }
        earlyAcks.release(pending, batch, store);
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

    /** Sends what the window allows: in-flight resends first, then queued messages in order. */
    void pump() {
        QueuePump.pump(this);
    }

    void forget(Outflight o) {
        inflight.remove(o);
        ended(o.seq);
    }

    void dequeue(long seq, StoredMessage message) {
        added(-1, -message.sizeBytes());
        dequeueLazily(new StoreCommand.Dequeue(clientId, seq, message.id(), message.sizeBytes()));
    }

    /** A delivery ended: its dequeue rides in this tick's batch, or after its enqueue's commit (ADR 18). */
    void dequeueLazily(StoreCommand.Dequeue dequeue) {
        earlyAcks.dequeue(dequeue, pending, batch, store);
    }
}
