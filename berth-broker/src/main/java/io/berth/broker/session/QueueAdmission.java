package io.berth.broker.session;

import io.berth.broker.store.SessionStore;
import io.berth.broker.store.StoreCommand;
import io.berth.broker.store.StoredMessage;
import io.berth.codec.QoS;
import io.berth.codec.ReasonCode;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Takes a routed message into the queues of this shard's subscribers: reserves a position in each
 * queue that admits it (a QoS 0 message to an online session is sent at once instead), applies the
 * overflow policy where a queue refuses it, and applies the outcome of the commit of the reserved
 * entries. The shared queue of a group whose members are all offline is created on its first message.
 *
 * <p>Threading: runs on its shard's thread only; it owns no state but the shard's drop log, which it
 * shares with the shard's queue events.
 */
final class QueueAdmission {
    private final SessionShard shard;
    private final SessionLifecycle lifecycle;
    private final ClientRequests requests;
    private final DropLog dropLog;

    QueueAdmission(SessionShard shard, SessionLifecycle lifecycle, ClientRequests requests, DropLog dropLog) {
        this.shard = shard;
        this.lifecycle = lifecycle;
        this.requests = requests;
        this.dropLog = dropLog;
    }

    /** Reserves a queue position for {@code message} in the queue of each of {@code deliveries} here. */
    Reservation reserve(StoredMessage message, List<Delivery> deliveries) {
        BrokerContext context = shard.context;
        List<Prepared> out = new ArrayList<>(deliveries.size());
        boolean rejected = false;
        for (Delivery d : deliveries) {
            Session s = shard.sessions.get(d.clientId());
            boolean groupQueue = GroupQueues.isKey(d.clientId());
            if (s == null && groupQueue) {
                s = lifecycle.createGroupQueue(d.clientId());
            }
            // a group's queue is checked when a member receives the message from it
            if (s == null
                    || !groupQueue && !context.authorizer().canReceive(s.record.owner(), s.clientId, message.topic())) {
                continue;
            }
            if (d.qos() == QoS.AT_MOST_ONCE) {
                boolean online = s.connection != null && s.attached;
                if (online) {
                    requests.sendQos0(s, message, d);
                    continue;
                }
                if (!context.config().queueQos0Offline()) {
                    continue;
                }
            }
            Refusal refusal =
                    s.outbound.admit(message, context.config().limits().queuedBytesBudget());
            if (refusal != null) {
                rejected |= refuse(s, refusal);
                continue;
            }
            out.add(new Prepared(s.clientId, s.incarnation, s.store, s.outbound.reserve(message, d)));
        }
        return new Reservation(out, rejected);
    }

    /** Applies an overflow policy to a message that does not fit; true when the publisher is told. */
    private boolean refuse(Session s, Refusal refusal) {
        shard.context.metrics().dropped(refusal.reason());
        dropLog.dropped(s.clientId, refusal);
        switch (refusal.policy()) {
            case REJECT:
                return true;
            case DISCONNECT:
                if (s.connection != null) {
                    s.connection.close(ReasonCode.QUOTA_EXCEEDED);
                }
                return false;
            default:
                return false;
        }
    }

    /**
     * Queues a message for this shard's subscribers in {@code deliveries}, in this tick's batch;
     * {@code reply}, when not null, is told here once their entries committed (at once when none was
     * written), with whether a queue refused it.
     */
    void accept(StoredMessage message, List<Delivery> deliveries, PendingRoute.@Nullable Done reply) {
        Reservation r = reserve(message, deliveries);
        PendingRoute local = reply == null ? null : new PendingRoute(Pacing.paced(shard.sessions, r.prepared(), reply));
        TickBatch batch = shard.batch;
        SessionStore waitedOn = null;
        for (Prepared p : r.prepared()) {
            batch.add(p.store(), p.enqueue());
            batch.whenCommitted(p.store(), error -> applyCommitted(List.of(p), error));
            if (local != null && p.store() != waitedOn) {
                // the entries of one store commit together: one waiter per store is enough
                waitedOn = p.store();
                local.expect();
                batch.whenCommitted(p.store(), error -> local.part(false, error));
            }
        }
        if (local != null) {
            local.part(r.rejected(), null);
        }
    }

    /** The reserved positions were committed (or failed with {@code error}). */
    void applyCommitted(List<Prepared> prepared, @Nullable Throwable error) {
        for (Prepared p : prepared) {
            Session s = shard.sessions.get(p.clientId());
            if (s == null || s.incarnation != p.incarnation()) {
                // the session ended or was replaced meanwhile: take the entry out again
                if (error == null) {
                    p.store()
                            .submit(new StoreCommand.Dequeue(
                                    p.clientId(),
                                    p.enqueue().entry().seq(),
                                    p.enqueue().message().id(),
                                    p.enqueue().message().sizeBytes()));
                }
                continue;
            }
            s.outbound.onCommitted(p.enqueue(), error);
        }
    }
}
