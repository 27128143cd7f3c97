package io.berth.broker.store;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

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
     * the message is released when no queue refers to it any more. A dequeue may be made durable lazily:
     * its future completes once it is as durable as the store promises, but a durable store need not sync
     * for it alone (a later synced write covers it). Losing it in a crash only brings the entry back.
     *
     * @param messageId the entry's {@link QueueEntry#messageId()}
     * @param sizeBytes the {@link StoredMessage#sizeBytes()} of the entry's message when the caller knows the
     *     entry ({@code messageId} and {@code sizeBytes} then describe it, if it is still queued, and a store
     *     need not read it back); -1 when it does not
     */
    record Dequeue(String clientId, long seq, long messageId, int sizeBytes) implements StoreCommand {
        public Dequeue {
            Objects.requireNonNull(clientId, "clientId");
            if (sizeBytes < -1) {
                throw new IllegalArgumentException("sizeBytes must be -1 (unknown) or at least 0: " + sizeBytes);
            }
        }

        /** A dequeue of an entry the caller does not describe: the store looks it up. */
        public Dequeue(String clientId, long seq, long messageId) {
            this(clientId, seq, messageId, -1);
        }

        /** True when the caller described the entry ({@code sizeBytes >= 0}). */
        public boolean described() {
            return sizeBytes >= 0 && messageId >= 0;
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

    /**
     * Cluster only (ADR 13): a copy of a message for the durable session of {@code clientId}, which may be
     * served by another node, kept in the session's inbox until its owner queues it ({@link
     * TakeForwarded}). Its place in the inbox is its place in the replicated log; no queue position is
     * taken here (those are reserved by the owner's shard only). With {@code sharedFilter} it is for the
     * session's membership of that shared subscription, otherwise for its own subscriptions.
     */
    record Forward(
            String clientId,
            StoredMessage message,
            @Nullable String sharedFilter) implements StoreCommand {
        public Forward {
            Objects.requireNonNull(clientId, "clientId");
            Objects.requireNonNull(message, "message");
        }

        /** A copy for the session's own (not shared) subscriptions. */
        public Forward(String clientId, StoredMessage message) {
            this(clientId, message, null);
        }
    }

    /**
     * Cluster only (ADR 13): a message for one member of the shared subscription {@code sharedFilter}
     * ({@code $share/group/filter}), whichever node serves it: the member is chosen when the command is
     * applied, and gets a {@link Forward} for its membership.
     */
    record ForwardShared(String sharedFilter, StoredMessage message) implements StoreCommand {
        public ForwardShared {
            Objects.requireNonNull(sharedFilter, "sharedFilter");
            Objects.requireNonNull(message, "message");
        }
    }

    /**
     * Cluster only (ADR 13): takes the message at {@code inboxKey} out of the inbox of {@code clientId} and,
     * when {@code enqueue} is not null, puts it in the session's queue, both at once. Applied at most once:
     * a key at or below the last one taken for the session changes nothing.
     */
    record TakeForwarded(String clientId, long inboxKey, StoreCommand.@Nullable Enqueue enqueue)
            implements StoreCommand {
        public TakeForwarded {
            Objects.requireNonNull(clientId, "clientId");
            if (enqueue != null && !enqueue.clientId().equals(clientId)) {
                throw new IllegalArgumentException("enqueue for " + enqueue.clientId() + ", not " + clientId);
            }
        }
    }
    /**
     * Cluster only (ADR 16): a change of a session that ends with its connection (Session Expiry 0, 3.1.1
     * Clean Session 1), served by the node that submits it: its record (for its will) or a subscription.
     * Such a session's state lives in that node's memory (ADR 3); the change goes into the log only for
     * the routing index of every node, and reaches no store.
     */
    record VolatileChange(StoreCommand change) implements StoreCommand {
        public VolatileChange {
            Objects.requireNonNull(change, "change");
            if (!(change instanceof PutSession
                    || change instanceof DeleteSession
                    || change instanceof PutSubscription
                    || change instanceof DeleteSubscription)) {
                throw new IllegalArgumentException("not a change of a session's record or subscriptions: " + change);
            }
        }
    }

    /**
     * Cluster only (ADR 16): a message for the sessions that end with their connection on {@code node},
     * which matches them against their subscriptions when it applies the command and delivers it from
     * memory; no store keeps it.
     */
    record Relay(String node, StoredMessage message) implements StoreCommand {
        public Relay {
            Objects.requireNonNull(node, "node");
            Objects.requireNonNull(message, "message");
        }
    }
}
