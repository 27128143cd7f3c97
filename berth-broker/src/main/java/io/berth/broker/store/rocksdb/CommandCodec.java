package io.berth.broker.store.rocksdb;

import io.berth.broker.store.InflightRecord;
import io.berth.broker.store.StoreCommand;
import io.berth.broker.store.StoredMessage;
import java.util.ArrayList;
import java.util.List;

/**
 * Store commands as bytes, for a replicated log (a cluster's Raft entry carries one submission). Each
 * command is a tag byte and its fields; sessions, subscriptions, queue entries, in-flight records and
 * messages use the value encodings of the store ({@link Values}), so the two cannot drift apart. The
 * first byte of a list is {@link #VERSION}.
 *
 * <p>Threading: stateless.
 */
public final class CommandCodec {
    static final int VERSION = 1;
    private static final int PUT_SESSION = 1;
    private static final int DELETE_SESSION = 2;
    private static final int PUT_SUBSCRIPTION = 3;
    private static final int DELETE_SUBSCRIPTION = 4;
    private static final int ENQUEUE = 5;
    private static final int DEQUEUE = 6;
    private static final int PUT_INFLIGHT = 7;
    private static final int PUT_INBOUND = 8;
    private static final int DELETE_INBOUND = 9;
    private static final int PUT_RETAINED = 10;
    private static final int DELETE_RETAINED = 11;
    private static final int FORWARD = 12;
    private static final int TAKE_FORWARDED = 13;
    private static final int FORWARD_SHARED = 14;
    private static final int VOLATILE_CHANGE = 15;
    private static final int RELAY = 16;

    private CommandCodec() {}

    /** The bytes of {@code commands}, in order. */
    public static byte[] encode(List<StoreCommand> commands) {
        ByteWriter w = new ByteWriter(64 * commands.size() + 8);
        w.u8(VERSION).varint(commands.size());
        for (StoreCommand c : commands) {
            write(w, c);
        }
        return w.toByteArray();
    }

    /**
     * The commands of {@code bytes} as {@link #encode} wrote them.
     *
     * @throws IllegalArgumentException when the bytes are not such a list
     */
    public static List<StoreCommand> decode(byte[] bytes) {
        ByteReader r = new ByteReader(bytes);
        int version = r.u8();
        if (version != VERSION) {
            throw new IllegalArgumentException("unknown command list version " + version);
        }
        int n = r.varint32();
        List<StoreCommand> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(read(r));
        }
        r.end();
        return out;
    }

    private static void write(ByteWriter w, StoreCommand command) {
        if (command instanceof StoreCommand.PutSession c) {
            w.u8(PUT_SESSION).string(c.session().clientId()).bytes(Values.session(c.session()));
        } else if (command instanceof StoreCommand.DeleteSession c) {
            w.u8(DELETE_SESSION).string(c.clientId());
        } else if (command instanceof StoreCommand.PutSubscription c) {
            w.u8(PUT_SUBSCRIPTION)
                    .string(c.clientId())
                    .string(c.subscription().filter())
                    .bytes(Values.subscription(c.subscription()));
        } else if (command instanceof StoreCommand.DeleteSubscription c) {
            w.u8(DELETE_SUBSCRIPTION).string(c.clientId()).string(c.filter());
        } else if (command instanceof StoreCommand.Enqueue c) {
            w.u8(ENQUEUE)
                    .string(c.clientId())
                    .u64(c.entry().seq())
                    .bytes(Values.queueEntry(c.entry(), c.message().sizeBytes()))
                    .bytes(Values.message(c.message()));
        } else if (command instanceof StoreCommand.Dequeue c) {
            w.u8(DEQUEUE).string(c.clientId()).u64(c.seq()).u64(c.messageId()).u32(c.sizeBytes() + 1L);
        } else if (command instanceof StoreCommand.PutInflight c) {
            w.u8(PUT_INFLIGHT).string(c.clientId()).u64(c.inflight().seq()).bytes(Values.inflight(c.inflight()));
        } else if (command instanceof StoreCommand.PutInbound c) {
            w.u8(PUT_INBOUND).string(c.clientId()).u16(c.packetId());
        } else if (command instanceof StoreCommand.DeleteInbound c) {
            w.u8(DELETE_INBOUND).string(c.clientId()).u16(c.packetId());
        } else if (command instanceof StoreCommand.PutRetained c) {
            w.u8(PUT_RETAINED).bytes(Values.message(c.message()));
        } else if (command instanceof StoreCommand.DeleteRetained c) {
            w.u8(DELETE_RETAINED).string(c.topic());
        } else if (command instanceof StoreCommand.Forward c) {
            w.u8(FORWARD).string(c.clientId()).bytes(Values.message(c.message()));
            String shared = c.sharedFilter();
            if (shared == null) {
                w.u8(0);
            } else {
                w.u8(1).string(shared);
            }
        } else if (command instanceof StoreCommand.ForwardShared c) {
            w.u8(FORWARD_SHARED).string(c.sharedFilter()).bytes(Values.message(c.message()));
        } else if (command instanceof StoreCommand.TakeForwarded c) {
            w.u8(TAKE_FORWARDED).string(c.clientId()).u64(c.inboxKey());
            StoreCommand.Enqueue e = c.enqueue();
            if (e == null) {
                w.u8(0);
            } else {
                w.u8(1)
                        .u64(e.entry().seq())
                        .bytes(Values.queueEntry(e.entry(), e.message().sizeBytes()))
                        .bytes(Values.message(e.message()));
            }
        } else if (command instanceof StoreCommand.VolatileChange c) {
            w.u8(VOLATILE_CHANGE);
            write(w, c.change());
        } else if (command instanceof StoreCommand.Relay c) {
            w.u8(RELAY).string(c.node()).bytes(Values.message(c.message()));
        } else {
            throw new IllegalArgumentException("unknown command " + command);
        }
    }

    private static StoreCommand read(ByteReader r) {
        int tag = r.u8();
        switch (tag) {
            case PUT_SESSION -> {
                String clientId = r.string();
                return new StoreCommand.PutSession(Values.readSession(clientId, r.bytes()));
            }
            case DELETE_SESSION -> {
                return new StoreCommand.DeleteSession(r.string());
            }
            case PUT_SUBSCRIPTION -> {
                String clientId = r.string();
                String filter = r.string();
                return new StoreCommand.PutSubscription(clientId, Values.readSubscription(filter, r.bytes()));
            }
            case DELETE_SUBSCRIPTION -> {
                String clientId = r.string();
                return new StoreCommand.DeleteSubscription(clientId, r.string());
            }
            case ENQUEUE -> {
                String clientId = r.string();
                long seq = r.u64();
                byte[] entry = r.bytes();
                StoredMessage message = Values.readMessage(r.bytes());
                return new StoreCommand.Enqueue(clientId, Values.readQueueEntry(seq, entry), message);
            }
            case DEQUEUE -> {
                String clientId = r.string();
                long seq = r.u64();
                long messageId = r.u64();
                int size = (int) (r.u32() - 1);
                return new StoreCommand.Dequeue(clientId, seq, messageId, size);
            }
            case PUT_INFLIGHT -> {
                String clientId = r.string();
                long seq = r.u64();
                InflightRecord f = Values.readInflight(seq, r.bytes());
                return new StoreCommand.PutInflight(clientId, f);
            }
            case PUT_INBOUND -> {
                String clientId = r.string();
                return new StoreCommand.PutInbound(clientId, r.u16());
            }
            case DELETE_INBOUND -> {
                String clientId = r.string();
                return new StoreCommand.DeleteInbound(clientId, r.u16());
            }
            case PUT_RETAINED -> {
                return new StoreCommand.PutRetained(Values.readMessage(r.bytes()));
            }
            case DELETE_RETAINED -> {
                return new StoreCommand.DeleteRetained(r.string());
            }
            case FORWARD -> {
                String clientId = r.string();
                StoredMessage message = Values.readMessage(r.bytes());
                return new StoreCommand.Forward(clientId, message, r.u8() == 0 ? null : r.string());
            }
            case FORWARD_SHARED -> {
                String filter = r.string();
                return new StoreCommand.ForwardShared(filter, Values.readMessage(r.bytes()));
            }
            case TAKE_FORWARDED -> {
                String clientId = r.string();
                long key = r.u64();
                if (r.u8() == 0) {
                    return new StoreCommand.TakeForwarded(clientId, key, null);
                }
                long seq = r.u64();
                byte[] entry = r.bytes();
                StoredMessage message = Values.readMessage(r.bytes());
                return new StoreCommand.TakeForwarded(
                        clientId, key, new StoreCommand.Enqueue(clientId, Values.readQueueEntry(seq, entry), message));
            }
            case VOLATILE_CHANGE -> {
                return new StoreCommand.VolatileChange(read(r));
            }
            case RELAY -> {
                String node = r.string();
                return new StoreCommand.Relay(node, Values.readMessage(r.bytes()));
            }
            default -> throw new IllegalArgumentException("unknown command tag " + tag);
        }
    }
}
