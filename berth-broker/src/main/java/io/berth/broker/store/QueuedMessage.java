package io.berth.broker.store;

import java.util.Objects;

/** A queue entry read back together with its message. */
public record QueuedMessage(QueueEntry entry, StoredMessage message) {
    public QueuedMessage {
        Objects.requireNonNull(entry, "entry");
        Objects.requireNonNull(message, "message");
    }
}
