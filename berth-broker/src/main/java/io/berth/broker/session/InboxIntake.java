package io.berth.broker.session;

import io.berth.broker.store.StoreCommand;
import io.berth.broker.store.StoredMessage;
import io.berth.broker.store.Subscription;
import io.berth.codec.Topics;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cluster only (ADR 13): moves the messages forwarded to the inbox of a session this shard serves into
 * the session's queue, in the inbox's (the log's) order. Each is taken with a {@link
 * StoreCommand.TakeForwarded} that deletes the inbox row and enqueues the message at a queue position this
 * shard reserves, in one log entry, so a message is queued once whatever crashes. The delivery is worked
 * out here from the session's own subscriptions as they are now (a session that unsubscribed meanwhile
 * gets nothing); a message for its membership of a shared subscription that it left meanwhile goes back
 * to the group, for another member.
 *
 * <p>Threading: on its shard's thread; the inbox is read on the shard's reader executor and the rows come
 * back as a task. One read per session at a time; a nudge during a read reads again after it.
 */
final class InboxIntake {
    private static final Logger LOG = LoggerFactory.getLogger(InboxIntake.class);
    /** How many rows one read brings in. */
    static final int READ_BATCH = 256;

    private final SessionShard shard;
    private final SessionHandover handover;

    InboxIntake(SessionShard shard, SessionHandover handover) {
        this.shard = shard;
        this.handover = handover;
    }

    /** Reads the inbox of {@code clientId}'s session, if this shard serves it, and takes what is new. */
    void pull(String clientId) {
        Session s = shard.sessions.get(clientId);
        if (s == null || !s.store.durable()) {
            return; // a session restored later reads its inbox then
        }
        if (s.connection != null && !s.attached) {
            // its CONNACK waits for the session's record (after a clean start, for the deletion of the
            // former session and its inbox): read once the CONNACK went
            return;
        }
        if (s.inboxReading) {
            s.inboxAgain = true;
            return;
        }
        s.inboxReading = true;
        long after = s.inboxTaken;
        shard.reader.execute(() -> {
            List<SessionHandover.Forwarded> rows;
            try {
                rows = handover.inbox(clientId, after, READ_BATCH);
            } catch (RuntimeException e) {
                LOG.warn("cannot read the inbox of '{}': {}", clientId, e.toString());
                rows = List.of();
            }
            List<SessionHandover.Forwarded> read = rows;
            shard.executor.execute(() -> took(s, read));
        });
    }

    private void took(Session s, List<SessionHandover.Forwarded> rows) {
        s.inboxReading = false;
        if (shard.sessions.get(s.clientId) != s) {
            return; // ended or let go meanwhile: its next owner reads the inbox
        }
        for (SessionHandover.Forwarded f : rows) {
            if (f.key() > s.inboxTaken) {
                s.inboxTaken = f.key();
                take(s, f);
            }
        }
        if (rows.size() == READ_BATCH || s.inboxAgain) {
            s.inboxAgain = false;
            pull(s.clientId);
        }
    }

    private void take(Session s, SessionHandover.Forwarded f) {
        StoredMessage message = f.message();
        String shared = f.sharedFilter();
        Delivery d;
        if (shared == null) {
            d = delivery(s, message);
        } else {
            Subscription sub = s.subscriptions.get(shared);
            if (sub == null) {
                // it left the group meanwhile: another member gets it, in the same entry as the take
                shard.batch.add(s.store, new StoreCommand.TakeForwarded(s.clientId, f.key(), null));
                shard.batch.add(s.store, new StoreCommand.ForwardShared(shared, message));
                return;
            }
            d = new Matches.DeliveryBuilder(s.clientId).add(message, sub).build();
        }
        Prepared p = null;
        if (d != null) {
            Reservation r = shard.reserve(message, List.of(d));
            p = r.prepared().isEmpty() ? null : r.prepared().get(0);
        }
        shard.batch.add(s.store, new StoreCommand.TakeForwarded(s.clientId, f.key(), p == null ? null : p.enqueue()));
        if (p != null) {
            List<Prepared> prepared = List.of(p);
            shard.batch.whenCommitted(s.store, error -> shard.committed(prepared, error));
        }
    }

    /** What the session's subscriptions of now make of the message; null when none matches. */
    private static @Nullable Delivery delivery(Session s, StoredMessage message) {
        Matches.DeliveryBuilder b = null;
        for (Subscription sub : s.subscriptions.values()) {
            if (GroupQueues.isShared(sub) || !Topics.matches(sub.filter(), message.topic())) {
                continue;
            }
            // [MQTT-3.8.3-3] No Local: not to the publisher's own subscription
            if (sub.noLocal() && s.clientId.equals(message.publisherId())) {
                continue;
            }
            if (b == null) {
                b = new Matches.DeliveryBuilder(s.clientId);
            }
            b.add(message, sub);
        }
        return b == null ? null : b.build();
    }
}
