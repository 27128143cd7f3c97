package io.berth.client.store;

import io.berth.client.Message;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What a {@link ClientSessionStore} holds, as read on start.
 *
 * @param messages outgoing messages not yet finished, in sequence order
 * @param inboundPacketIds inbound QoS 2 packet identifiers whose PUBREL has not come
 */
public record StoredSession(List<StoredMessage> messages, Set<Integer> inboundPacketIds) {
    /** A store with nothing in it. */
    public static final StoredSession EMPTY = new StoredSession(List.of(), Set.of());

    public StoredSession {
        messages = List.copyOf(messages);
        inboundPacketIds = Set.copyOf(inboundPacketIds);
    }

    /**
     * One outgoing message.
     *
     * @param seq its sequence number
     * @param message the message
     * @param packetId its packet identifier, 0 when none was assigned yet
     * @param released true when PUBREC came (QoS 2): only PUBREL is due
     * @param addedAtMillis when it was handed over (epoch milliseconds)
     */
    public record StoredMessage(long seq, Message message, int packetId, boolean released, long addedAtMillis) {
        public StoredMessage {
            Objects.requireNonNull(message, "message");
        }
    }
}
