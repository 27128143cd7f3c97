package io.berth.broker.session;

import io.berth.broker.store.QueuedMessage;
import io.berth.broker.store.StoreCommand;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What operators and shared groups do to a queue besides delivering it: look at its head, take messages
 * out to move them to another queue, purge. These read the store directly: they are rare, and each
 * reads at most a batch at a time.
 *
 * <p>Threading: every method runs on the queue's shard.
 */
final class QueueAdmin {
    private QueueAdmin() {}

    /** The first {@code max} messages of the queue, in flight ones first. */
    static List<QueuedMessage> peek(OutboundQueue queue, int max) {
        InflightWindow inflight = queue.inflight;
        long from = inflight.isEmpty() ? queue.nextToSend : Math.min(inflight.oldestSeq(), queue.nextToSend);
        List<QueuedMessage> out = new ArrayList<>();
        for (QueuedMessage q :
                queue.store.readQueue(queue.clientId, from, queue.committedTail, max + queue.removing.size())) {
            if (!queue.removing.contains(q.entry().seq()) && out.size() < max) {
                out.add(q);
            }
        }
        return out;
    }

    /**
     * Takes up to {@code max} of the oldest queued messages out, to be moved to another queue (a shared
     * group's queue to a member's). They count as gone at once; {@link #taken} says whether the move
     * was committed, or puts them back.
     */
    static List<QueuedMessage> take(OutboundQueue queue, int max) {
        List<QueuedMessage> out = new ArrayList<>();
        for (QueuedMessage q : queue.store.readQueue(
                queue.clientId, queue.nextToSend, queue.committedTail, max + queue.removing.size())) {
            if (out.size() < max
                    && !queue.inflight.contains(q.entry().seq())
                    && queue.removing.add(q.entry().seq())) {
                out.add(q);
                queue.added(-1, -q.message().sizeBytes());
            }
        }
        return out;
    }

    /** The move of a message that {@link #take} handed out is over: committed, or not (it stays). */
    static void taken(OutboundQueue queue, QueuedMessage q, boolean committed) {
        queue.removing.remove(q.entry().seq());
        if (!committed) {
            queue.added(1, q.message().sizeBytes());
        }
    }

    /**
     * Removes the queued messages that {@code select} picks, in one commit; messages in flight are left
     * to finish. Returns how many were removed, once committed.
     */
    static CompletableFuture<Long> purge(OutboundQueue queue, Purge select) {
        List<StoreCommand> commands = new ArrayList<>();
        List<Long> seqs = new ArrayList<>();
        long removedBytes = 0;
        for (QueuedMessage q : selected(queue, select)) {
            long seq = q.entry().seq();
            seqs.add(seq);
            removedBytes += q.message().sizeBytes();
            commands.add(
                    new StoreCommand.Dequeue(queue.clientId, seq, q.message().id()));
        }
        if (commands.isEmpty()) {
            return CompletableFuture.completedFuture(0L);
        }
        seqs.forEach(queue.removing::add);
        queue.added(-seqs.size(), -removedBytes);
        queue.metrics.dropped("purged", seqs.size());
        long n = seqs.size();
        return queue.store
                .submit(commands)
                .handleAsync(
                        (v, error) -> {
                            seqs.forEach(queue.removing::remove);
                            if (error != null) {
                                throw new IllegalStateException("purge of " + queue.clientId + " not stored", error);
                            }
                            return n;
                        },
                        queue.shard);
    }

    /** How many messages {@link #purge} would remove now. */
    static long purgeCount(OutboundQueue queue, Purge select) {
        return selected(queue, select).size();
    }

    /** The committed messages, not in flight and not already being removed, that {@code select} takes. */
    private static List<QueuedMessage> selected(OutboundQueue queue, Purge select) {
        List<QueuedMessage> out = new ArrayList<>();
        long from = queue.nextToSend;
        while (from < queue.committedTail) {
            List<QueuedMessage> batch =
                    queue.store.readQueue(queue.clientId, from, queue.committedTail, OutboundQueue.READ_BATCH);
            if (batch.isEmpty()) {
                break;
            }
            for (QueuedMessage q : batch) {
                long seq = q.entry().seq();
                from = seq + 1;
                if (!queue.busy(seq) && select.matches(q.message(), out.size(), queue.clock.getAsLong())) {
                    out.add(q);
                }
            }
        }
        return out;
    }
}
