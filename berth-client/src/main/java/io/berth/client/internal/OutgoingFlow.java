package io.berth.client.internal;

import io.berth.client.Message;
import io.berth.client.MqttClientException;
import io.berth.client.PublishFuture;
import io.berth.client.store.SessionChange;
import io.berth.client.store.StoredSession;
import io.berth.codec.MqttProperties;
import io.berth.codec.PubackPacket;
import io.berth.codec.PubcompPacket;
import io.berth.codec.PubrecPacket;
import io.berth.codec.PubrelPacket;
import io.berth.codec.QoS;
import io.berth.codec.ReasonCode;
import io.netty.channel.ChannelFuture;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outgoing half of a session: messages the application handed over, from the send buffer through
 * PUBLISH, PUBACK or PUBREC/PUBREL/PUBCOMP, to their future. Every change is recorded in the store,
 * through the {@link ChangeBatch} of the loop's pass (a QoS 1 message published into a free window has its
 * arrival and its packet identifier in one append, and a PUBACK's removal waits for nothing). A
 * packet whose meaning depends on the change (a QoS 2 PUBLISH with a new packet identifier, PUBREL) goes
 * on the wire only once the store made it durable: the broker keeps state for that packet identifier
 * until PUBREL, so a client that forgot it after a crash would deliver the message twice. A QoS 1 PUBLISH
 * goes out while its changes are being written, since the broker keeps nothing for it and a QoS 1
 * message may arrive twice anyway: after a crash before its packet identifier was durable, it is sent
 * again with a new one. Its PUBACK completes its future when it comes, whether or not {@code stored()}
 * has completed yet: the broker has the message, and the application was told nothing about the store
 * that a crash could make untrue (see ADR 0017). At most Receive Maximum messages are in flight per
 * connection; after a reconnect the in-flight messages are sent again first, in their original order
 * (PUBLISH with DUP=1 and the same packet identifier, or PUBREL), then the buffer.
 *
 * <p>Threading: owned by the client's event loop; store completions are handed back to it.
 */
final class OutgoingFlow {
    private static final Logger LOG = LoggerFactory.getLogger(OutgoingFlow.class);

    private final ClientConfig config;
    private final Link link;
    private final PacketIdAllocator ids;
    private final Notifier notifier;
    private final ChangeBatch changes;
    private final ArrayDeque<OutgoingMessage> pending = new ArrayDeque<>();
    private final InflightMessages inflight = new InflightMessages();
    private final ArrayDeque<OutgoingMessage> resend = new ArrayDeque<>();
    private long pendingBytes;
    private long nextSeq = 1;
    private int windowUsed;

    OutgoingFlow(ClientConfig config, Link link, PacketIdAllocator ids, Notifier notifier, ChangeBatch changes) {
        this.config = config;
        this.link = link;
        this.ids = ids;
        this.notifier = notifier;
        this.changes = changes;
    }

    /** Takes over what a previous client left in the store. */
    void restore(StoredSession session) {
        for (StoredSession.StoredMessage sm : session.messages()) {
            OutgoingMessage o = new OutgoingMessage(sm.seq(), sm.message(), new PublishFuture(), sm.addedAtMillis());
            o.future.stored().complete(null);
            if (sm.packetId() == 0) {
                pending.add(o);
                pendingBytes += o.size;
            } else {
                o.packetId = sm.packetId();
                o.state = sm.released() ? OutgoingMessage.State.RELEASED : OutgoingMessage.State.PUBLISHED;
                o.durable = o.state;
                o.maybeSent = true;
                ids.take(o.packetId);
                inflight.put(o);
            }
            nextSeq = Math.max(nextSeq, sm.seq() + 1);
        }
    }

    void publish(Message message, PublishFuture future) {
        OutgoingMessage o = new OutgoingMessage(
                message.qos() == QoS.AT_MOST_ONCE ? 0 : nextSeq++, message, future, System.currentTimeMillis());
        if (!makeRoom(o)) {
            return;
        }
        pending.add(o);
        pendingBytes += o.size;
        if (o.isStored()) {
            changes.add(new SessionChange.MessageAdded(o.seq, message, o.addedAtMillis), e -> {
                if (e == null) {
                    future.stored().complete(null);
                } else {
                    storeFailed(o, e);
                }
            });
        } else {
            future.stored().complete(null);
        }
        pump();
    }

    private boolean fits(OutgoingMessage o) {
        return pending.size() < config.maxBufferedMessages() && pendingBytes + o.size <= config.maxBufferedBytes();
    }

    private boolean makeRoom(OutgoingMessage o) {
        if (fits(o)) {
            return true;
        }
        switch (config.overflowPolicy()) {
            case REJECT -> drop(o, "send buffer full: message rejected");
            case DROP_NEWEST -> drop(o, "send buffer full: newest message dropped");
            case DROP_OLDEST -> {
                while (!fits(o) && !pending.isEmpty()) {
                    OutgoingMessage old = pending.poll();
                    pendingBytes -= old.size;
                    if (old.isStored()) {
                        changes.add(new SessionChange.MessageRemoved(old.seq));
                    }
                    drop(old, "send buffer full: oldest message dropped");
                }
                if (!fits(o)) {
                    drop(o, "send buffer full: message larger than the buffer");
                }
            }
        }
        return fits(o) && !o.future.isDone();
    }

    private void drop(OutgoingMessage o, String reason) {
        MqttClientException e = new MqttClientException(reason);
        o.future.stored().completeExceptionally(e);
        o.future.completeExceptionally(e);
        notifier.dropped(o.message, reason);
    }

    private void storeFailed(OutgoingMessage o, Throwable e) {
        MqttClientException failure = new MqttClientException("session store failed", null, e);
        o.future.stored().completeExceptionally(failure);
        o.future.completeExceptionally(failure);
    }

    /** Sends what the window allows: first what the last connection left in flight, then the buffer. */
    void pump() {
        if (!link.isUp()) {
            return;
        }
        int window = link.receiveMaximum();
        while (windowUsed < window && !resend.isEmpty()) {
            OutgoingMessage o = resend.poll();
            if (inflight.get(o.packetId) == o) {
                admit(o);
                if (o.isDurable() || sendsBeforeDurable(o, o.state)) {
                    writeCurrent(o);
                }
            }
        }
        while (!pending.isEmpty() && resend.isEmpty()) {
            OutgoingMessage o = pending.peek();
            if (o.isExpired()) {
                pending.poll();
                pendingBytes -= o.size;
                if (o.isStored()) {
                    changes.add(new SessionChange.MessageRemoved(o.seq));
                }
                drop(o, "message expired before it could be sent");
                continue;
            }
            if (!o.isStored()) {
                pending.poll();
                pendingBytes -= o.size;
                writeQos0(o);
                continue;
            }
            if (windowUsed >= window || ids.isFull()) {
                return;
            }
            pending.poll();
            pendingBytes -= o.size;
            o.packetId = ids.next();
            o.state = OutgoingMessage.State.PUBLISHED;
            inflight.put(o);
            admit(o);
            SessionChange assigned = new SessionChange.PacketIdAssigned(o.seq, o.packetId);
            if (sendsBeforeDurable(o, o.state)) {
                changes.add(assigned); // nobody waits for it: the PUBLISH goes now, the PUBACK ends it
                writeCurrent(o);
            } else {
                record(o, assigned);
            }
        }
    }

    /** A QoS 1 PUBLISH does not wait for its packet identifier to be durable (see the class comment). */
    private static boolean sendsBeforeDurable(OutgoingMessage o, OutgoingMessage.State state) {
        return o.message.qos() == QoS.AT_LEAST_ONCE && state == OutgoingMessage.State.PUBLISHED;
    }

    private void admit(OutgoingMessage o) {
        o.admittedEpoch = link.epoch();
        windowUsed++;
    }

    private void record(OutgoingMessage o, SessionChange change) {
        OutgoingMessage.State state = o.state;
        int generation = o.generation;
        changes.add(change, e -> {
            if (e != null) {
                storeFailed(o, e);
            } else if (o.generation == generation) {
                o.durable = state;
                boolean current = inflight.get(o.packetId) == o && o.state == state;
                if (current && link.isUp() && o.admittedEpoch == link.epoch() && !sendsBeforeDurable(o, state)) {
                    writeCurrent(o);
                }
            }
        });
    }

    private void writeCurrent(OutgoingMessage o) {
        if (o.state == OutgoingMessage.State.PUBLISHED) {
            link.writePublish(o.publishPacket(o.maybeSent));
            o.maybeSent = true;
        } else if (o.state == OutgoingMessage.State.RELEASED) {
            link.write(PubrelPacket.of(o.packetId));
        }
    }

    private void writeQos0(OutgoingMessage o) {
        ChannelFuture f = link.writePublishTracked(o.publishPacket(false));
        if (f == null) { // pump() writes only while the link is up
            o.future.completeExceptionally(new MqttClientException("connection lost"));
            return;
        }
        f.addListener(w -> {
            if (w.isSuccess()) {
                o.future.complete(null);
            } else {
                o.future.completeExceptionally(new MqttClientException("connection lost", null, w.cause()));
            }
        });
    }

    void onPuback(PubackPacket p) {
        OutgoingMessage o = inflight.get(p.packetId());
        if (o == null || o.message.qos() != QoS.AT_LEAST_ONCE) {
            LOG.debug("{}: PUBACK for unknown packet id {}", config.clientId(), p.packetId());
            return;
        }
        finish(o, p.reasonCode(), p.properties().reasonString());
    }

    void onPubrec(PubrecPacket p) {
        OutgoingMessage o = inflight.get(p.packetId());
        if (o == null || o.message.qos() != QoS.EXACTLY_ONCE) {
            LOG.debug("{}: PUBREC for unknown packet id {}", config.clientId(), p.packetId());
            link.write(new PubrelPacket(p.packetId(), ReasonCode.PACKET_IDENTIFIER_NOT_FOUND, MqttProperties.EMPTY));
            return;
        }
        if (o.state == OutgoingMessage.State.RELEASED) {
            if (o.isDurable()) {
                writeCurrent(o);
            }
            return;
        }
        if (p.reasonCode().isError()) {
            finish(o, p.reasonCode(), p.properties().reasonString());
            return;
        }
        o.state = OutgoingMessage.State.RELEASED;
        record(o, new SessionChange.MessageReleased(o.seq));
    }

    void onPubcomp(PubcompPacket p) {
        OutgoingMessage o = inflight.get(p.packetId());
        if (o == null || o.state != OutgoingMessage.State.RELEASED) {
            LOG.debug("{}: PUBCOMP for unknown packet id {}", config.clientId(), p.packetId());
            return;
        }
        if (p.reasonCode().isError()) {
            LOG.debug("{}: PUBCOMP for {} with {}", config.clientId(), p.packetId(), p.reasonCode());
        }
        finish(o, ReasonCode.SUCCESS, null);
    }

    private void finish(OutgoingMessage o, ReasonCode reasonCode, @Nullable String reasonString) {
        inflight.remove(o.packetId);
        ids.release(o.packetId);
        if (o.admittedEpoch == link.epoch()) {
            windowUsed--;
        }
        changes.add(new SessionChange.MessageRemoved(o.seq));
        // a QoS 1 PUBACK can come before stored(): the broker has the message, the future says so at once
        complete(o, reasonCode, reasonString);
        pump();
    }

    private static void complete(OutgoingMessage o, ReasonCode reasonCode, @Nullable String reasonString) {
        if (reasonCode.isError()) {
            o.future.completeExceptionally(
                    new MqttClientException("broker refused the message", reasonCode, reasonString, null, null));
        } else {
            o.future.complete(null);
        }
    }

    /** A CONNACK accepted a new connection. */
    void onConnected(boolean sessionPresent) {
        windowUsed = 0;
        if (!sessionPresent) {
            sessionLost();
        }
        resend.clear();
        resend.addAll(inflight.inOrder());
        pump();
    }

    /**
     * The broker has no session for us. Messages whose PUBREC came are with the broker: they are finished.
     * The others are sent again as new messages, or given up when the configuration says so.
     */
    private void sessionLost() {
        List<OutgoingMessage> back = new ArrayList<>();
        for (OutgoingMessage o : inflight.inOrder()) {
            ids.release(o.packetId);
            if (o.state == OutgoingMessage.State.RELEASED) {
                changes.add(new SessionChange.MessageRemoved(o.seq));
                o.future.complete(null);
            } else if (config.resendOnSessionLoss()) {
                changes.add(new SessionChange.MessageReset(o.seq));
                o.generation++;
                o.packetId = 0;
                o.state = OutgoingMessage.State.PENDING;
                o.durable = OutgoingMessage.State.PENDING;
                o.maybeSent = false;
                o.admittedEpoch = -1;
                back.add(o);
            } else {
                changes.add(new SessionChange.MessageRemoved(o.seq));
                drop(o, "the broker lost the session");
            }
        }
        inflight.clear();
        for (int i = back.size() - 1; i >= 0; i--) {
            pending.addFirst(back.get(i));
            pendingBytes += back.get(i).size;
        }
    }

    /** The client closes: futures fail; stored messages stay in the store for the next client. */
    void close() {
        MqttClientException closed = new MqttClientException("client closed before the broker acknowledged");
        inflight.inOrder().forEach(o -> o.future.completeExceptionally(closed));
        pending.forEach(o -> {
            o.future.stored().completeExceptionally(closed);
            o.future.completeExceptionally(closed);
        });
    }

    /** Messages handed over and not yet finished, for tests and diagnostics. */
    int unfinished() {
        return pending.size() + inflight.size();
    }
}
