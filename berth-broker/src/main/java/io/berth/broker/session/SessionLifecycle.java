package io.berth.broker.session;

import io.berth.broker.auth.LogText;
import io.berth.broker.store.RecoveredSession;
import io.berth.broker.store.SessionRecord;
import io.berth.broker.store.StoreCommand;
import io.berth.broker.store.Subscription;
import io.berth.codec.ConnackPacket;
import io.berth.codec.DisconnectPacket;
import io.berth.codec.MqttProperties;
import io.berth.codec.MqttVersion;
import io.berth.codec.ReasonCode;
import io.berth.codec.Will;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How sessions begin, resume, are taken over, disconnect and expire; when their will goes is {@link
 * Wills}' business, and on a cluster node a session is served once {@link SessionClaims} owns it.
 *
 * <p>Threading: runs on its shard's thread only; the sessions it creates and ends are the shard's.
 */
final class SessionLifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(SessionLifecycle.class);

    private final SessionShard shard;
    private final Sessions owner;
    private final Wills wills;
    /** Null on a single node. */
    private final @Nullable SessionClaims claims;

    SessionLifecycle(SessionShard shard, Sessions owner) {
        this.shard = shard;
        this.owner = owner;
        this.wills = new Wills(shard, owner);
        SessionHandover handover = owner.handover();
        this.claims = handover == null ? null : new SessionClaims(shard, this, handover);
    }

    void connect(ConnectRequest r) {
        SessionClaims c = claims;
        if (c == null) {
            connectHere(r);
        } else {
            c.connect(r); // a cluster node serves a session once it owns it
        }
    }

    /** A session another node claimed (cluster only): see {@link SessionClaims#release}. */
    void release(String clientId) {
        SessionClaims c = claims;
        if (c != null) {
            c.release(clientId);
        }
    }

    /** A session this node adopted (cluster only): see {@link SessionClaims#adopt}. */
    void adopt(RecoveredSession r) {
        SessionClaims c = claims;
        if (c != null) {
            c.adopt(r);
        }
    }

    void connectHere(ConnectRequest r) {
        ClientConnection conn = r.connection();
        Session existing = shard.sessions.get(r.clientId());
        if (existing != null && !existing.record.owner().equals(r.principal())) {
            // a session belongs to the principal that created it: nobody else resumes, takes over or cleans
            // it; the session, its connection and its queue are left exactly as they are
            LOG.warn(
                    "CONNECT of {} as '{}' refused: the session of '{}' belongs to another principal",
                    conn.describe(),
                    LogText.safe(r.principal()),
                    LogText.safe(r.clientId()));
            shard.context.metrics().authFailed("session-owner");
            conn.refuse(ReasonCode.NOT_AUTHORIZED);
            return;
        }
        ClientConnection held = existing == null ? null : existing.connection;
        if (existing != null && held != null) {
            takeOver(existing, held);
        }
        boolean present = false;
        long continueAt = 0;
        if (existing != null) {
            existing.cancelTimers();
            if (r.cleanStart()) {
                // [MQTT-3.1.2-4] Clean Start discards the existing session
                continueAt = existing.outbound.tail();
                end(existing, true);
                existing = null;
            } else {
                // [MQTT-3.1.2-5] resume; a delayed will is cancelled by a reconnect in time
                present = true;
            }
        }
        Session s = existing;
        if (s == null && !shard.context.authorizer().sessionStarting(r.principal())) {
            conn.refuse(ReasonCode.QUOTA_EXCEEDED); // max-sessions-per-principal; 3.1.1: return code 3
            return;
        }
        if (s == null) {
            s = newSession(r.clientId(), r.expiryIntervalSeconds(), r.principal());
            s.outbound.startAt(continueAt);
        }
        // the session's own client id: one instance per session however often it reconnects
        s.record = new SessionRecord(s.clientId, conn.version(), r.expiryIntervalSeconds(), 0, r.will(), r.principal());
        s.connection = conn;
        s.attached = false;
        s.inboundUnacked = 0;
        s.acks.clear();
        Session session = s;
        boolean sessionPresent = present;
        VolatileRouting.register(owner, s, new StoreCommand.PutSession(s.record)); // ADR 16: for its will
        s.store
                .submit(new StoreCommand.PutSession(s.record))
                .whenCompleteAsync((v, error) -> stored(session, r, sessionPresent, error), shard.executor);
    }

    /** The session of a CONNECT was stored (or not, {@code error}): CONNACK, then what was waiting. */
    private void stored(Session session, ConnectRequest r, boolean sessionPresent, @Nullable Throwable error) {
        ClientConnection conn = r.connection();
        if (!session.isConnectedTo(conn) || shard.sessions.get(session.clientId) != session) {
            return;
        }
        if (error != null) {
            LOG.warn("session of {} could not be stored: {}", conn.describe(), error.toString());
            conn.send(new ConnackPacket(false, ReasonCode.SERVER_UNAVAILABLE, MqttProperties.EMPTY));
            conn.close(ReasonCode.SERVER_UNAVAILABLE);
            return;
        }
        // [MQTT-3.2.2-2] [MQTT-3.2.2-3] Session Present says whether a session was resumed
        conn.send(new ConnackPacket(sessionPresent, ReasonCode.SUCCESS, r.connackProperties()));
        session.attached = true;
        shard.context.online().put(session.clientId, session.record.owner());
        shard.context.metrics().sessionOnline();
        // [MQTT-4.4.0-1] unacknowledged PUBLISH and PUBREL are resent first, then the queue
        session.outbound.attach(conn);
        drainGroupsOf(session);
        if (claims != null) {
            shard.pullInbox(session.clientId); // what came while the CONNACK waited
        }
        conn.flush();
    }

    /** Creates the queue of a shared group whose members are all offline (see {@link GroupQueues}). */
    Session createGroupQueue(String key) {
        Session g = newSession(key, SessionRecord.NEVER_EXPIRES, "");
        g.record = new SessionRecord(
                key,
                MqttVersion.V5,
                SessionRecord.NEVER_EXPIRES,
                shard.context.clock().getAsLong(),
                null,
                "");
        g.store.submit(new StoreCommand.PutSession(g.record));
        return g;
    }

    /** Asks the shards of this session's shared groups to hand it what their queues hold. */
    void drainGroupsOf(Session s) {
        for (Subscription sub : s.subscriptions.values()) {
            if (GroupQueues.isShared(sub)) {
                String key = GroupQueues.key(sub.filter());
                owner.shardOf(key).drainGroup(key);
            }
        }
    }

    private Session newSession(String clientId, long expiry, String owner) {
        BrokerContext c = shard.context;
        Session s = new Session(
                clientId,
                shard.nextIncarnation(),
                shard.storeFor(expiry),
                new OutboundQueue(
                        clientId,
                        shard.storeFor(expiry),
                        shard.executor,
                        shard.reader,
                        shard.heldBudget,
                        shard.batch,
                        c.clock(),
                        c.metrics(),
                        shard.queueEvents()));
        s.outbound.limits(c.config().limits().of(clientId, owner));
        shard.sessions.put(clientId, s);
        c.metrics().sessionCreated();
        return s;
    }

    /** [MQTT-3.1.4-3] a second connection with the same client id closes the first. */
    private void takeOver(Session s, ClientConnection old) {
        detach(s);
        // 5.0 section 3.1.3.2.2: a will without delay goes when the old connection closes; one with a delay
        // is cancelled by the resumed session, or goes when a clean start ends the session
        wills.publishUndelayed(s);
        LOG.info("session of {} taken over", old.describe());
        old.close(ReasonCode.SESSION_TAKEN_OVER);
    }

    /**
     * The connection of a session this node just claimed was on another node ([MQTT-3.1.4-3]: closed by
     * the takeover, or gone with its node): a will without delay goes now, as in {@link #takeOver}; a
     * delayed one is cancelled by the resumed session or goes when a clean start ends it.
     */
    void closedElsewhere(String clientId) {
        Session s = shard.sessions.get(clientId);
        if (s != null) {
            wills.publishUndelayed(s);
        }
    }

    void detach(Session s) {
        if (s.attached) {
            shard.context.metrics().sessionOffline();
        }
        s.connection = null;
        s.attached = false;
        s.outbound.detach();
        // they were for the connection that went (a new one starts with none)
        s.acks.clear();
        shard.context.online().remove(s.clientId);
    }

    void disconnect(ClientConnection conn, DisconnectPacket packet) {
        Session s = shard.sessions.get(conn.clientId());
        if (s == null || !s.isConnectedTo(conn)) {
            return;
        }
        Long newExpiry = packet.properties().sessionExpiryInterval();
        if (newExpiry != null) {
            if (s.record.expiryIntervalSeconds() == 0 && newExpiry != 0) {
                // [MQTT-3.14.2-2] zero in CONNECT cannot become non-zero in DISCONNECT
                conn.close(ReasonCode.PROTOCOL_ERROR);
                return;
            }
            s.record = s.record.withExpiry(
                    Math.min(newExpiry, shard.context.config().maxSessionExpirySeconds()));
        }
        if (packet.reasonCode() != ReasonCode.DISCONNECT_WITH_WILL_MESSAGE) {
            // [MQTT-3.1.2-10] [MQTT-3.14.4-3] a normal DISCONNECT discards the will
            s.record = s.record.withWill(null);
            VolatileRouting.register(owner, s, new StoreCommand.PutSession(s.record));
        }
    }

    void connectionLost(ClientConnection conn) {
        SessionClaims c = claims;
        if (c != null && c.connectionLost(conn)) {
            return;
        }
        Session s = shard.sessions.get(conn.clientId());
        if (s == null || !s.isConnectedTo(conn)) {
            return;
        }
        detach(s);
        Will will = s.record.will();
        if (s.record.expiryIntervalSeconds() == 0) {
            // the session ends with the connection; so does any will delay
            if (will != null) {
                wills.publish(s, will);
            }
            end(s, false);
            return;
        }
        long now = shard.context.clock().getAsLong();
        wills.publishUndelayed(s);
        s.record = s.record.withDisconnectedAt(now);
        s.store.submit(new StoreCommand.PutSession(s.record));
        scheduleTimers(s, 0);
    }

    /** Schedules expiry and the delayed will of an offline session, {@code elapsedMillis} after it left. */
    private void scheduleTimers(Session s, long elapsedMillis) {
        long expiry = s.record.expiryIntervalSeconds();
        if (expiry != SessionRecord.NEVER_EXPIRES) {
            long delay = Math.max(0, expiry * 1000 - elapsedMillis);
            s.expiryTimer = shard.executor.schedule(() -> expire(s), delay, TimeUnit.MILLISECONDS);
        }
        wills.schedule(s, elapsedMillis);
    }

    private void expire(Session s) {
        if (shard.sessions.get(s.clientId) != s || s.connection != null) {
            return;
        }
        LOG.debug("session of {} expired", s.clientId);
        end(s, true);
    }

    /** Ends a session on an operator's request, closing its connection first. */
    boolean endByOperator(String clientId) {
        Session s = shard.sessions.get(clientId);
        if (s == null) {
            return false;
        }
        if (s.connection != null) {
            ClientConnection conn = s.connection;
            detach(s);
            conn.close(ReasonCode.ADMINISTRATIVE_ACTION);
        }
        end(s, true);
        return true;
    }

    /** Ends a session: its delayed will goes out if {@code sendWill}, everything it held is removed. */
    private void end(Session s, boolean sendWill) {
        s.cancelTimers();
        Will will = s.record.will();
        if (sendWill && will != null) {
            wills.publish(s, will);
        }
        for (Subscription sub : s.subscriptions.values()) {
            shard.context.tree().unsubscribe(s.clientId, sub.filter());
        }
        shard.sessions.remove(s.clientId);
        shard.context.metrics().sessionEnded();
        if (!GroupQueues.isKey(s.clientId)) {
            shard.context.authorizer().sessionEnded(s.record.owner());
        }
        shard.context.metrics().queued(-s.outbound.count(), -s.outbound.bytes());
        // what this tick queued or dequeued for the session goes first: nothing may follow its deletion
        shard.batch.flush();
        s.store.submit(new StoreCommand.DeleteSession(s.clientId));
        VolatileRouting.register(owner, s, new StoreCommand.DeleteSession(s.clientId));
    }

    /** Puts a recovered session back, offline, with its timers running from its disconnect time. */
    void restore(RecoveredSession r) {
        restore(r, r.record().disconnectedAtMillis() == 0);
    }

    /**
     * As {@link #restore(RecoveredSession)}; {@code sentUnrecorded}: messages near the head may have gone
     * out without a record of it (their first send here carries DUP, ADR 1), as when the session was
     * connected as its broker stopped.
     */
    void restore(RecoveredSession r, boolean sentUnrecorded) {
        SessionRecord rec = r.record();
        Session s = newSession(rec.clientId(), rec.expiryIntervalSeconds(), rec.owner());
        s.record = rec.disconnectedAtMillis() == 0
                ? rec.withDisconnectedAt(shard.context.clock().getAsLong())
                : rec;
        s.outbound.restore(r, sentUnrecorded);
        if (!GroupQueues.isKey(s.clientId)) {
            shard.context.authorizer().sessionRecovered(rec.owner());
        }
        for (Subscription sub : r.subscriptions()) {
            s.subscriptions.put(sub.filter(), sub);
            shard.context.tree().subscribe(s.clientId, sub);
        }
        for (int packetId : r.inbound()) {
            s.inbound.put(packetId, InboundExchange.COMMITTED);
        }
        long elapsed = Math.max(0, shard.context.clock().getAsLong() - s.record.disconnectedAtMillis());
        scheduleTimers(s, elapsed);
        if (claims != null) {
            shard.pullInbox(s.clientId); // after the queue, what was forwarded to it (ADR 13)
        }
    }
}
