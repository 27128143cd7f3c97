package io.berth.broker.store;

import java.util.Objects;

/**
 * A change of durable state. Commands are applied in the order they are submitted; a store commits a
 * group of them atomically.
 */
public sealed interface StoreCommand {

    /** Creates or replaces a session's record. */
    record PutSession(SessionRecord session) implements StoreCommand {
        public PutSession {
            Objects.requireNonNull(session, "session");
        }
    }

    /** Removes a session and everything it holds: subscriptions, queue, in-flight and inbound state. */
    record DeleteSession(String clientId) implements StoreCommand {
        public DeleteSession {
            Objects.requireNonNull(clientId, "clientId");
        }
    }

    /** Adds or replaces the subscription of a session to {@code subscription.filter()}. */
    record PutSubscription(String clientId, Subscription subscription) implements StoreCommand {
        public PutSubscription {
            Objects.requireNonNull(clientId, "clientId");
            Objects.requireNonNull(subscription, "subscription");
        }
    }

    /** Removes the subscription of a session to a filter, if any. */
    record DeleteSubscription(String clientId, String filter) implements StoreCommand {
        public DeleteSubscription {
            Objects.requireNonNull(clientId, "clientId");
            Objects.requireNonNull(filter, "filter");
        }
    }

    /**
     * Appends an entry to a session's queue. The message travels with it; a store keeps each message once
     * however many queues refer to it.
     */
    record Enqueue(String clientId, QueueEntry entry, StoredMessage message) implements StoreCommand {
        public Enqueue {
            Objects.requireNonNull(clientId, "clientId");
            Objects.requireNonNull(entry, "entry");
            Objects.requireNonNull(message, "message");
            if (entry.messageId() != message.id()) {
                throw new IllegalArgumentException(
                        "entry refers to message " + entry.messageId() + ", not " + message.id());
            }
        }
    }

    /**
     * Removes an entry from a session's queue (acknowledged, expired or dropped), with its in-flight state;
     * the message is released when no queue refers to it any more.
     */
    record Dequeue(String clientId, long seq, long messageId) implements StoreCommand {
        public Dequeue {
            Objects.requireNonNull(clientId, "clientId");
        }
    }

    /** Records that a queue entry was sent (or, with {@code released}, that PUBREL was sent). */
    record PutInflight(String clientId, InflightRecord inflight) implements StoreCommand {
        public PutInflight {
            Objects.requireNonNull(clientId, "clientId");
            Objects.requireNonNull(inflight, "inflight");
        }
    }

    /** Records an inbound QoS 2 packet id whose PUBREL has not come. */
    record PutInbound(String clientId, int packetId) implements StoreCommand {
        public PutInbound {
            Objects.requireNonNull(clientId, "clientId");
        }
    }

    /** Forgets an inbound QoS 2 packet id (PUBREL came). */
    record DeleteInbound(String clientId, int packetId) implements StoreCommand {
        public DeleteInbound {
            Objects.requireNonNull(clientId, "clientId");
        }
    }

    /** Sets the retained message of {@code message.topic()}. */
    record PutRetained(StoredMessage message) implements StoreCommand {
        public PutRetained {
            Objects.requireNonNull(message, "message");
        }
    }

    /** Clears the retained message of a topic. */
    record DeleteRetained(String topic) implements StoreCommand {
        public DeleteRetained {
            Objects.requireNonNull(topic, "topic");
        }
    }
}
