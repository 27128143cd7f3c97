package io.berth.broker.store.rocksdb;

import io.berth.broker.store.StoreCommand;
import io.berth.broker.store.StoredMessage;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A {@link StoreCommand} with its keys and values already encoded. Encoding happens in
 * {@link #encode(List)} on the submitting thread, so that a command that cannot be stored fails its own
 * future before it reaches a batch, and so that the committer thread only looks up and writes.
 */
sealed interface Op {

    /** A write that needs no state: session, subscription, inbound and retained puts. */
    record Put(Family family, byte[] key, byte[] value, long messageId) implements Op {}

    /** A delete that needs no state. */
    record Delete(Family family, byte[] key) implements Op {}

    /** Deletes every key of {@code family} in [begin, end). */
    record DeleteRange(Family family, byte[] begin, byte[] end) implements Op {}

    record DeleteSession(String clientId, byte[] prefix) implements Op {}

    record Enqueue(String clientId, byte[] prefix, long seq, long messageId, int size, byte[] value, byte[] message)
            implements Op {}

    /** A dequeue; {@code size} is -1 unless the command described its entry (then so is messageId). */
    record Dequeue(String clientId, byte[] prefix, long seq, long messageId, int size) implements Op {}

    record PutInflight(String clientId, byte[] prefix, long seq, byte[] value) implements Op {}

    /**
     * True for an op whose loss in a crash the broker tolerates (a dequeue: the entry comes back and is
     * delivered again), so that a batch of such ops alone needs no sync of its own.
     */
    static boolean lazy(Op op) {
        return op instanceof Dequeue;
    }

    /**
     * Encodes commands; a message shared by several enqueues of the list is encoded once, and so is the
     * key prefix of a client that comes again.
     */
    static List<Op> encode(List<StoreCommand> commands) {
        List<Op> ops = new ArrayList<>(commands.size());
        Memo memo = new Memo();
        for (StoreCommand command : commands) {
            ops.add(encode(command, memo));
        }
        return ops;
    }

    /**
     * What one list of commands encoded already: the last {@link #KEPT} messages (the enqueues of one
     * message, a fan-out, mostly come one after the other, and a tick's list interleaves few messages),
     * and the last client's key prefix (most of a tick's commands are one subscriber's enqueues and
     * dequeues). Kept without a map: no boxed id per message. A message found in neither is encoded again,
     * to the same bytes.
     */
    final class Memo {
        static final int KEPT = 16;

        private final long[] ids = new long[KEPT];
        private final byte[][] messages = new byte[KEPT][];
        private int last = -1;

        private @Nullable String client;
        private byte @Nullable [] prefix;

        byte[] message(StoredMessage m) {
            long id = m.id();
            if (last >= 0) {
                for (int k = 0, i = last; k < KEPT; k++, i = (i + KEPT - 1) % KEPT) {
                    byte[] bytes = messages[i];
                    if (bytes == null) {
                        break;
                    }
                    if (ids[i] == id) {
                        return bytes;
                    }
                }
            }
            byte[] bytes = Values.message(m);
            last = (last + 1) % KEPT;
            ids[last] = id;
            messages[last] = bytes;
            return bytes;
        }

        /** {@link Keys#client}, shared by the ops of one client in a row (no op writes into it). */
        byte[] prefix(String clientId) {
            byte[] p = prefix;
            if (p != null && clientId.equals(client)) {
                return p;
            }
            p = Keys.client(clientId);
            client = clientId;
            prefix = p;
            return p;
        }
    }

    private static Op encode(StoreCommand command, Memo memo) {
        if (command instanceof StoreCommand.PutSession c) {
            return new Put(Family.SESSIONS, Keys.client(c.session().clientId()), Values.session(c.session()), 0);
        } else if (command instanceof StoreCommand.DeleteSession c) {
            return new DeleteSession(c.clientId(), Keys.client(c.clientId()));
        } else if (command instanceof StoreCommand.PutSubscription c) {
            byte[] key = Keys.subscription(
                    Keys.client(c.clientId()), c.subscription().filter());
            return new Put(Family.SUBSCRIPTIONS, key, Values.subscription(c.subscription()), 0);
        } else if (command instanceof StoreCommand.DeleteSubscription c) {
            return new Delete(Family.SUBSCRIPTIONS, Keys.subscription(Keys.client(c.clientId()), c.filter()));
        } else if (command instanceof StoreCommand.Enqueue c) {
            long seq = c.entry().seq();
            requireSeq(seq);
            StoredMessage m = c.message();
            byte[] message = memo.message(m);
            byte[] value = Values.queueEntry(c.entry(), m.sizeBytes());
            return new Enqueue(c.clientId(), memo.prefix(c.clientId()), seq, m.id(), m.sizeBytes(), value, message);
        } else if (command instanceof StoreCommand.Dequeue c) {
            return new Dequeue(
                    c.clientId(),
                    memo.prefix(c.clientId()),
                    c.seq(),
                    c.messageId(),
                    c.described() ? c.sizeBytes() : -1);
        } else if (command instanceof StoreCommand.PutInflight c) {
            requireSeq(c.inflight().seq());
            return new PutInflight(
                    c.clientId(), memo.prefix(c.clientId()), c.inflight().seq(), Values.inflight(c.inflight()));
        } else if (command instanceof StoreCommand.PutInbound c) {
            return new Put(Family.INBOUND, Keys.inbound(Keys.client(c.clientId()), c.packetId()), new byte[0], 0);
        } else if (command instanceof StoreCommand.DeleteInbound c) {
            return new Delete(Family.INBOUND, Keys.inbound(Keys.client(c.clientId()), c.packetId()));
        } else if (command instanceof StoreCommand.PutRetained c) {
            StoredMessage m = c.message();
            return new Put(Family.RETAINED, Keys.topic(m.topic()), Values.message(m), m.id());
        } else if (command instanceof StoreCommand.DeleteRetained c) {
            return new Delete(Family.RETAINED, Keys.topic(c.topic()));
        }
        throw new IllegalArgumentException("unknown command " + command);
    }

    private static void requireSeq(long seq) {
        if (seq < 0 || seq == Long.MAX_VALUE) {
            throw new IllegalArgumentException("queue sequence number out of range: " + seq);
        }
    }
}
