package io.berth.broker.session;

import io.berth.broker.store.QueuedMessage;
import io.berth.broker.store.SessionStore;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an online session's queue holds in memory, so that the pump never reads back what was just
 * written: the messages queued while online ({@link #recent}), and what the last store read brought in
 * ahead of the pump when there is a backlog ({@link #readBack}). The store is read only past both, on
 * the reader thread, {@value OutboundQueue#READ_BATCH} positions at a time; the result comes back to the
 * shard as a task.
 *
 * <p>Threading: owned by the session's shard; only the store read itself runs on the reader.
 */
final class HeldMessages {
    private static final Logger LOG = LoggerFactory.getLogger(HeldMessages.class);
    /** How many newly queued messages an online session holds in memory, at most ... */
    static final int HELD_MESSAGES = 4_096;
    /** ... and how many bytes of them. */
    static final long HELD_BYTES = 4L << 20;

    private final String clientId;
    private final SessionStore store;
    private final Executor shard;
    private final Executor reader;
    /** Where the pump is: a read that comes back is held from here on. */
    private final LongSupplier nextToSend;
    /** Runs the pump again when a read came back. */
    private final Runnable pump;

    private final HeldRange recent;
    private final HeldRange readBack;
    /** True while a store read is under way on the reader. */
    private boolean reading;
    /** Counts connections: a read that comes back for an earlier one is dropped. */
    private int generation;

    HeldMessages(
            String clientId,
            SessionStore store,
            Executor shard,
            Executor reader,
            HeldBudget budget,
            LongSupplier nextToSend,
            Runnable pump) {
        this.clientId = clientId;
        this.store = store;
        this.shard = shard;
        this.reader = reader;
        this.nextToSend = nextToSend;
        this.pump = pump;
        this.recent = new HeldRange(budget, HELD_MESSAGES, HELD_BYTES);
        this.readBack = new HeldRange(budget, OutboundQueue.READ_BATCH, Long.MAX_VALUE);
    }

    /** Holds a message just queued, if it fits; otherwise it is read from the store in its turn. */
    void hold(QueuedMessage queued) {
        recent.append(queued);
    }

    boolean holds(long seq) {
        return readBack.holds(seq) || recent.holds(seq);
    }

    /** The message at a {@linkplain #holds held} position; null when it is gone. */
    QueuedMessage get(long seq) {
        return readBack.holds(seq) ? readBack.get(seq) : recent.get(seq);
    }

    /** The message at {@code seq} is gone (its write failed). */
    void remove(long seq) {
        readBack.remove(seq);
        recent.remove(seq);
    }

    /** Lets go of the positions the pump has passed. */
    void dropBelow(long seq) {
        readBack.dropBelow(seq);
        recent.dropBelow(seq);
    }

    /** Lets go of everything: the connection is gone, and a read under way is dropped when it returns. */
    void reset() {
        recent.clear();
        readBack.clear();
        reading = false;
        generation++;
    }

    /**
     * Reads the committed positions from {@code from} (up to {@code committedTail}) that memory does not
     * hold, off the shard; nothing else is read meanwhile.
     */
    void readAhead(long from, long committedTail) {
        if (reading) {
            return;
        }
        reading = true;
        long to = recent.isEmpty() || recent.first() <= from ? committedTail : Math.min(recent.first(), committedTail);
        int gen = generation;
        int max = OutboundQueue.READ_BATCH;
        reader.execute(() -> {
            List<QueuedMessage> read;
            try {
                read = store.readQueue(clientId, from, to, max);
            } catch (RuntimeException e) {
                LOG.warn("cannot read the queue of {}: {}", clientId, e.toString());
                shard.execute(() -> readFailed(gen));
                return;
            }
            // a full batch covers up to its last position; a short one covers the whole range
            long covered =
                    read.size() < max ? to : read.get(read.size() - 1).entry().seq() + 1;
            shard.execute(() -> onRead(gen, from, covered, read));
        });
    }

    private void readFailed(int gen) {
        if (gen == generation) {
            reading = false;
        }
    }

    /** A store read of {@code [from, to)} came back. */
    private void onRead(int gen, long from, long to, List<QueuedMessage> read) {
        if (gen != generation) {
            return; // the connection it was for is gone
        }
        reading = false;
        // an eviction may have moved past part of it meanwhile
        long start = Math.max(from, nextToSend.getAsLong());
        if (start < to && readBack.isEmpty()) {
            readBack.fill(start, to, read);
        }
        pump.run();
    }
}
