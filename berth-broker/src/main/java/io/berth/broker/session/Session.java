package io.berth.broker.session;

import io.berth.broker.store.SessionRecord;
import io.berth.broker.store.SessionStore;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Future;
import org.jspecify.annotations.Nullable;

/**
 * One client's session: what it is, its subscriptions, its inbound QoS 2 state and its outbound queue.
 *
 * <p>Threading: owned by its {@link SessionShard}; every field is read and written on that shard's
 * thread only.
 */
final class Session {
    final String clientId;
    /** Distinguishes this session from an earlier or later one with the same client id. */
    final long incarnation;
    /** The durable store, or the volatile one for a session that ends with its connection. */
    final SessionStore store;

    final OutboundQueue outbound;
    final SessionSubscriptions subscriptions = new SessionSubscriptions();
    /** Inbound QoS 2 packet ids whose PUBREL has not come, each with the state of its PUBLISH. */
    final Map<Integer, InboundExchange> inbound = new HashMap<>();

    /** Set by {@link SessionLifecycle} right after construction, before the session is reachable. */
    @SuppressWarnings("NullAway.Init") // assigned by the creator, not the constructor (see above)
    SessionRecord record;
    /** The connection, from CONNECT until it closes; null while offline. */
    @Nullable
    ClientConnection connection;
    /** True once CONNACK went out on {@link #connection}. */
    boolean attached;
    /** Inbound QoS 1/2 publishes of this connection not yet acknowledged (PUBACK/PUBCOMP). */
    int inboundUnacked;
    /** Acknowledgements to the current connection waiting for their commits, in order. */
    final AckQueue acks = new AckQueue();

    /** Cluster only (ADR 13): the key of the last inbox row taken into the queue, -1 before the first. */
    long inboxTaken = -1;
    /** Cluster only: a read of the inbox is under way; {@link #inboxAgain}: read once more after it. */
    boolean inboxReading;

    boolean inboxAgain;

    @Nullable
    Future<?> expiryTimer;

    @Nullable
    Future<?> willTimer;

    Session(String clientId, long incarnation, SessionStore store, OutboundQueue outbound) {
        this.clientId = clientId;
        this.incarnation = incarnation;
        this.store = store;
        this.outbound = outbound;
    }

    boolean isConnectedTo(ClientConnection conn) {
        return connection == conn;
    }

    void cancelTimers() {
        if (expiryTimer != null) {
            expiryTimer.cancel(false);
            expiryTimer = null;
        }
        if (willTimer != null) {
            willTimer.cancel(false);
            willTimer = null;
        }
    }
}
