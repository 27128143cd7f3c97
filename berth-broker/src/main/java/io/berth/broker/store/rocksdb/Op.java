package io.berth.broker.store.rocksdb;

import io.berth.broker.store.StoreCommand;
import io.berth.broker.store.StoredMessage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

    /** Encodes commands; a message shared by several enqueues of the list is encoded once. */
    static List<Op> encode(List<StoreCommand> commands) {
        List<Op> ops = new ArrayList<>(commands.size());
        MessageBytes messages = new MessageBytes();
        for (StoreCommand command : commands) {
            ops.add(encode(command, messages));
        }
        return ops;
    }

    /**
     * The encoded messages of one list of commands. The enqueues of one message (a fan-out) mostly come
     * one after the other, so the last one is kept apart and a map is made only when an earlier one
     * comes back.
     */
    final class MessageBytes {
        private long lastId = -1;
        private byte @Nullable [] last;
        private @Nullable Map<Long, byte[]> earlier;

        byte[] of(StoredMessage m) {
            byte[] bytes = last;
            if (bytes != null && lastId == m.id()) {
                return bytes;
            }
            Map<Long, byte[]> map = earlier;
            if (bytes != null) {
                if (map == null) {
                    map = new HashMap<>();
                    earlier = map;
                }
                map.put(lastId, bytes);
            }
            bytes = map == null ? null : map.get(m.id());
            if (bytes == null) {
                bytes = Values.message(m);
            }
            last = bytes;
            lastId = m.id();
            return bytes;
        }
    }

    private static Op encode(StoreCommand command, MessageBytes messages) {
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
            byte[] message = messages.of(m);
            byte[] value = Values.queueEntry(c.entry(), m.sizeBytes());
            return new Enqueue(c.clientId(), Keys.client(c.clientId()), seq, m.id(), m.sizeBytes(), value, message);
        } else if (command instanceof StoreCommand.Dequeue c) {
            return new Dequeue(
                    c.clientId(),
                    Keys.client(c.clientId()),
                    c.seq(),
                    c.messageId(),
                    c.described() ? c.sizeBytes() : -1);
        } else if (command instanceof StoreCommand.PutInflight c) {
            requireSeq(c.inflight().seq());
            return new PutInflight(
                    c.clientId(), Keys.client(c.clientId()), c.inflight().seq(), Values.inflight(c.inflight()));
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
