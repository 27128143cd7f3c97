package io.berth.client.store;

import io.berth.client.Message;
import io.berth.codec.PacketIds;
import io.berth.codec.QoS;
import java.util.Objects;

/**
 * One change of a client's stored session. Outgoing messages are named by a sequence number that the
 * client assigns in the order the application handed them over.
 */
public sealed interface SessionChange {

    /**
     * A QoS 1 or 2 message was handed over; it has no packet identifier yet.
     *
     * @param seq its sequence number
     * @param message the message with its properties
     * @param addedAtMillis when it was handed over (epoch milliseconds), from which its Message Expiry
     *     Interval counts down
     */
    record MessageAdded(long seq, Message message, long addedAtMillis) implements SessionChange {
        public MessageAdded {
            Objects.requireNonNull(message, "message");
            if (message.qos() == QoS.AT_MOST_ONCE) {
                throw new IllegalArgumentException("QoS 0 messages are not stored");
            }
        }

        /** A message handed over now. */
        public MessageAdded(long seq, Message message) {
            this(seq, message, System.currentTimeMillis());
        }
    }

    /** The message got a packet identifier; a PUBLISH with it may now be on the wire. */
    record PacketIdAssigned(long seq, int packetId) implements SessionChange {
        public PacketIdAssigned {
            PacketIds.require(packetId);
        }
    }

    /** PUBREC came for a QoS 2 message: from now on only PUBREL is sent for it. */
    record MessageReleased(long seq) implements SessionChange {}

    /** The message is finished (acknowledged, refused, or dropped) and forgotten. */
    record MessageRemoved(long seq) implements SessionChange {}

    /** The broker lost the session: the message loses its packet identifier and will be sent as new. */
    record MessageReset(long seq) implements SessionChange {}

    /** An inbound QoS 2 PUBLISH with this packet identifier was received and handed to the application. */
    record InboundReceived(int packetId) implements SessionChange {
        public InboundReceived {
            PacketIds.require(packetId);
        }
    }

    /** PUBREL came for an inbound QoS 2 packet identifier: it is free again. */
    record InboundReleased(int packetId) implements SessionChange {
        public InboundReleased {
            PacketIds.require(packetId);
        }
    }

    /** The broker lost the session: every inbound QoS 2 packet identifier is forgotten. */
    record InboundCleared() implements SessionChange {}
}
