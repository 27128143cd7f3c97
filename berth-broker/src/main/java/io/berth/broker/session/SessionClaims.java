package io.berth.broker.session;

import io.berth.broker.store.RecoveredSession;
import io.berth.broker.store.StoreCommand;
import io.berth.broker.store.Subscription;
import io.berth.codec.ReasonCode;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The part of a session's lifecycle that only a cluster node has: a CONNECT first claims its session
 * through the {@link SessionHandover} and goes on once this node owns it, with every earlier change of it
 * in this node's store (restored into the shard when the shard does not hold it); a session that another
 * node claimed is let go here.
 *
 * <p>Threading: runs on its shard's thread only.
 */
final class SessionClaims {
    private static final Logger LOG = LoggerFactory.getLogger(SessionClaims.class);

    private final SessionShard shard;
    private final SessionLifecycle lifecycle;
    private final SessionHandover handover;
    /** Connections whose CONNECT waits for the claim of its session. */
    private final Set<ClientConnection> claiming = new HashSet<>();

    SessionClaims(SessionShard shard, SessionLifecycle lifecycle, SessionHandover handover) {
        this.shard = shard;
        this.lifecycle = lifecycle;
        this.handover = handover;
    }

    void connect(ConnectRequest r) {
        ClientConnection conn = r.connection();
        claiming.add(conn);
        handover.claim(r.clientId())
                .whenCompleteAsync(
                        (recovered, error) -> {
                            if (!claiming.remove(conn)) {
                                return; // the connection went meanwhile
                            }
                            if (error != null) {
                                LOG.warn("session of {} could not be claimed: {}", conn.describe(), error.toString());
                                conn.refuse(ReasonCode.SERVER_UNAVAILABLE);
                                return;
                            }
                            if (recovered != null && shard.sessions.get(r.clientId()) == null) {
                                // another node served it last: if that node died, what it sent has no
                                // record, even when a node that adopted it since recorded it offline
                                // (ADR 14): its first sends here carry DUP
                                lifecycle.restore(recovered, true);
                                if (recovered.record().disconnectedAtMillis() == 0) {
                                    // its connection was on another node, which closed it or died
                                    lifecycle.closedElsewhere(r.clientId());
                                }
                            }
                            lifecycle.connectHere(r);
                        },
                        shard.executor);
    }

    /**
     * Serves a session this node adopted from a node that is gone, or from its own former run (ADR 14):
     * restored offline with its will and expiry timers running, from now when its record says it was
     * connected (its connection went with the node that served it). Nothing happens when the shard holds
     * it already or another node claimed it meanwhile (a later claim releases it here after this task).
     */
    void adopt(RecoveredSession r) {
        String clientId = r.record().clientId();
        if (shard.sessions.get(clientId) != null || !handover.owns(clientId)) {
            return;
        }
        lifecycle.restore(r);
        Session s = shard.sessions.get(clientId);
        if (s != null && r.record().disconnectedAtMillis() == 0) {
            // the replicated record says offline from now: the next adopter's timers start where these did,
            // and a shared group stops counting the session as connected (ADR 13)
            s.store.submit(new StoreCommand.PutSession(s.record));
        }
    }

    /** True when {@code conn} was waiting for its claim: it is forgotten, and there is nothing else to do. */
    boolean connectionLost(ClientConnection conn) {
        return claiming.remove(conn);
    }

    /**
     * Lets go of a session another node claimed: its connection here is closed (5.0: Session taken
     * over), and it leaves this shard without a store write (the store is the new owner's now).
     */
    void release(String clientId) {
        Session s = shard.sessions.get(clientId);
        if (s == null) {
            return;
        }
        if (s.connection != null) {
            ClientConnection old = s.connection;
            lifecycle.detach(s);
            LOG.info("session of {} taken over by another node", old.describe());
            old.close(ReasonCode.SESSION_TAKEN_OVER);
        }
        s.cancelTimers();
        for (Subscription sub : s.subscriptions.values()) {
            shard.context.tree().unsubscribe(s.clientId, sub.filter());
        }
        shard.sessions.remove(clientId);
        shard.context.metrics().sessionEnded();
        if (!GroupQueues.isKey(clientId)) {
            shard.context.authorizer().sessionEnded(s.record.owner());
        }
        shard.context.metrics().queued(-s.outbound.count(), -s.outbound.bytes());
    }
}
