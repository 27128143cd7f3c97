package io.berth.client.internal;

import io.berth.client.Message;
import io.berth.client.PublishFuture;
import io.berth.codec.MqttProperties;
import io.berth.codec.PublishPacket;
import io.berth.codec.QoS;
import java.time.Duration;

/**
 * One message handed over for sending, with where it is in its flow and its PUBLISH packet, whose
 * Message Expiry Interval counts down from when it was handed over.
 *
 * <p>Threading: owned by the client's event loop.
 */
final class OutgoingMessage {
    /** Where the message is; the store knows the same once {@link #durable} caught up. */
    enum State {
        /** Not yet given a packet identifier (buffered). */
        PENDING,
        /** Has a packet identifier; PUBLISH is due until PUBACK or PUBREC. */
        PUBLISHED,
        /** PUBREC came; PUBREL is due until PUBCOMP. */
        RELEASED
    }

    final long seq;
    final Message message;
    final PublishFuture future;
    final int size;
    /** When the application handed it over (epoch ms): its Message Expiry Interval counts from here. */
    final long addedAtMillis;

    State state = State.PENDING;
    /**
     * The latest state the store has made durable (PENDING before that). Not followed for a QoS 1 message's
     * packet identifier, which nothing waits for (its PUBLISH goes out at once).
     */
    State durable = State.PENDING;

    int packetId;
    /** The connection epoch whose Receive Maximum window this message occupies, -1 for none. */
    int admittedEpoch = -1;
    /** A PUBLISH for it may have reached the broker before (sets DUP). */
    boolean maybeSent;
    /** Counts resets after a lost session, so that a late store completion of before is ignored. */
    int generation;
    /** Its place in the order of the messages in flight; see {@link InflightMessages}. */
    long inflightOrder;

    OutgoingMessage(long seq, Message message, PublishFuture future, long addedAtMillis) {
        this.seq = seq;
        this.message = message;
        this.future = future;
        this.addedAtMillis = addedAtMillis;
        this.size = message.payload().length + message.topic().length() + 16;
    }

    boolean isStored() {
        return message.qos() != QoS.AT_MOST_ONCE;
    }

    /** The store knows the current state, so the packet for it may go on the wire. */
    boolean isDurable() {
        return durable == state;
    }

    /** Its Message Expiry Interval (if it has one) passed before it could be sent. */
    boolean isExpired() {
        Duration interval = message.properties().messageExpiry();
        if (interval == null) {
            return false; // most messages: no clock to read
        }
        Long left = WireProperties.remainingExpiry(message.properties(), addedAtMillis, System.currentTimeMillis());
        return left != null && left <= 0 && interval.getSeconds() > 0;
    }

    /** The PUBLISH for it with what is left of its expiry interval (at least one second). */
    PublishPacket publishPacket(boolean dup) {
        Message m = message;
        Duration interval = m.properties().messageExpiry();
        Long left = interval == null
                ? null
                : WireProperties.remainingExpiry(m.properties(), addedAtMillis, System.currentTimeMillis());
        Long expiry = left;
        if (left != null && interval != null && interval.getSeconds() > 0) {
            expiry = Math.max(1L, left); // expires on the way: the broker still gets a positive interval
        }
        MqttProperties properties = WireProperties.toWire(m.properties(), expiry);
        return new PublishPacket(m.topic(), m.qos(), m.retain(), dup, packetId, m.payload(), properties);
    }
}
