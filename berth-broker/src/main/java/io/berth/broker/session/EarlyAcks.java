package io.berth.broker.session;

import io.berth.broker.store.SessionStore;
import io.berth.broker.store.StoreCommand;
import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * Dequeues of positions whose queue entry has not committed yet: a QoS 1 message sent before its commit
 * (ADR 18) can be acknowledged, or dropped by the pump, before the enqueue is on disk. Its dequeue waits
 * here until the enqueue committed, so that the store never gets the dequeue of a position first (a
 * crash between the two would leave an entry behind its queue's head, and its message counted for
 * ever). They are released in the order they came; one whose enqueue still waits holds back those
 * behind it until it commits, which is harmless: dequeues are lazy (ADR 7).
 *
 * <p>Threading: owned by the queue's shard.
 */
final class EarlyAcks {
    private final ArrayDeque<StoreCommand.Dequeue> waiting = new ArrayDeque<>();

    /** Adds {@code dequeue} to this tick's batch, or keeps it until its position is no longer pending. */
    void dequeue(StoreCommand.Dequeue dequeue, PositionSet pending, TickBatch batch, SessionStore store) {
        if (!pending.contains(dequeue.seq())) {
            batch.add(store, dequeue);
        } else {
            waiting.add(dequeue);
        }
    }

    /** Positions committed: the dequeues at the front whose enqueue is on disk go into this tick's batch. */
    void release(PositionSet pending, TickBatch batch, SessionStore store) {
        while (!waiting.isEmpty() && !pending.contains(waiting.peekFirst().seq())) {
            batch.add(store, waiting.pollFirst());
        }
    }

    /**
     * The enqueue at {@code seq} failed: a dequeue waiting for it is dropped, as there is nothing to take
     * out. True when there was one (the message was counted out already).
     */
    boolean dropFailed(long seq) {
        for (Iterator<StoreCommand.Dequeue> it = waiting.iterator(); it.hasNext(); ) {
            if (it.next().seq() == seq) {
                it.remove();
                return true;
            }
        }
        return false;
    }

    boolean isEmpty() {
        return waiting.isEmpty();
    }
}
