package io.berth.broker.cluster;

import io.berth.broker.store.StoreCommand;
import io.berth.broker.store.rocksdb.RocksSessionStore.MetaWrite;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Which node owns which session, as the applied log says (ADR 11), and the fencing of an entry's commands
 * by it: a node that lost a session can never write to it again. Kept in the replica as {@code owner/}
 * rows, written in the same batch as the entry that changed them; each node's message id high-water mark
 * as {@code max-message-id/} rows.
 *
 * <p>Threading: changed on Ratis' state machine updater thread only (through {@link SessionStateMachine});
 * {@link #get} is read from any thread (a concurrent map).
 */
final class SessionOwners {
    private static final String OWNER = "owner/";
    private static final String MAX_ID = "max-message-id/";

    private final Map<String, String> owners = new ConcurrentHashMap<>();

    /** The node that owns {@code clientId}'s session, or null; any thread. */
    @Nullable
    String get(String clientId) {
        return owners.get(clientId);
    }

    /** A read-only view of every owner by client id. */
    Map<String, String> asMap() {
        return Collections.unmodifiableMap(owners);
    }

    /** Reads the owners the replica holds, in place of what was known. */
    void load(Replica store) {
        owners.clear();
        store.readMeta(OWNER)
                .forEach((key, node) ->
                        owners.put(key.substring(OWNER.length()), new String(node, StandardCharsets.UTF_8)));
    }

    /** {@code node} claimed the session of {@code clientId}: recorded here and, in {@code meta}, in the replica. */
    void claim(String clientId, String node, List<MetaWrite> meta) {
        owners.put(clientId, node);
        meta.add(new MetaWrite(OWNER + clientId, node.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * {@code node} adopts every session that {@code from} owns now (ADR 14): recorded here and, in {@code
     * meta}, in the replica. Decided at apply time, so every node adopts the same sessions: one claimed by
     * a third node before this entry stays with it.
     *
     * @return the adopted sessions' client ids, sorted
     */
    List<String> adopt(String from, String node, List<MetaWrite> meta) {
        List<String> adopted = new ArrayList<>();
        owners.forEach((client, owner) -> {
            if (owner.equals(from)) {
                adopted.add(client);
            }
        });
        Collections.sort(adopted);
        for (String client : adopted) {
            claim(client, node, meta);
        }
        return adopted;
    }

    /** The highest message id that {@code node} stored, 0 when none. */
    long maxMessageId(Replica store, String node) {
        byte[] v = store.readMeta(MAX_ID + node).get(MAX_ID + node);
        return v == null ? 0 : ByteBuffer.wrap(v).getLong();
    }

    /**
     * An entry's commands after fencing.
     *
     * @param kept what is applied
     * @param lost sessions owned by another node, whose commands were dropped
     * @param rejected why nothing of the entry is applied, or null
     */
    record Fenced(
            List<StoreCommand> kept,
            Set<String> lost,
            @Nullable RuntimeException rejected) {}

    /**
     * Drops the commands of sessions that {@code node} does not own: a node that lost a session writes
     * nothing to it. The rest applies, unless a dropped command is an inbound QoS 2 packet id: that one
     * must commit atomically with the queue entries of its message (ADR 2), so then nothing applies.
     */
    Fenced fence(String node, List<StoreCommand> commands) {
        List<StoreCommand> kept = new ArrayList<>(commands.size());
        Set<String> lost = new HashSet<>();
        for (StoreCommand c : commands) {
            String client = clientOf(c);
            String owner = client == null ? null : owners.get(client);
            if (owner == null || owner.equals(node)) {
                kept.add(c);
                continue;
            }
            lost.add(client);
            if (c instanceof StoreCommand.Enqueue e) {
                // a message for a session that moved: to its inbox, for its new owner (ADR 13)
                kept.add(new StoreCommand.Forward(e.clientId(), e.message()));
                continue;
            }
            if (c instanceof StoreCommand.PutInbound || c instanceof StoreCommand.DeleteInbound) {
                return new Fenced(
                        List.of(),
                        lost,
                        new IllegalStateException(
                                "the session of '" + client + "' belongs to node " + owner + " now, not to " + node));
            }
        }
        return new Fenced(kept, lost, null);
    }

    /** Ownership changes of applied commands, and the submitter's message id high-water mark. */
    void own(String node, List<StoreCommand> commands, List<MetaWrite> meta) {
        long maxId = 0;
        for (StoreCommand c : commands) {
            if (c instanceof StoreCommand.PutSession p
                    && owners.putIfAbsent(p.session().clientId(), node) == null) {
                meta.add(new MetaWrite(OWNER + p.session().clientId(), node.getBytes(StandardCharsets.UTF_8)));
            } else if (c instanceof StoreCommand.DeleteSession d && owners.remove(d.clientId()) != null) {
                meta.add(new MetaWrite(OWNER + d.clientId(), null));
            } else if (c instanceof StoreCommand.Enqueue e) {
                maxId = Math.max(maxId, e.message().id());
            } else if (c instanceof StoreCommand.PutRetained r) {
                maxId = Math.max(maxId, r.message().id());
            } else if (c instanceof StoreCommand.Forward f) {
                maxId = Math.max(maxId, f.message().id());
            } else if (c instanceof StoreCommand.ForwardShared f) {
                maxId = Math.max(maxId, f.message().id());
            } else if (c instanceof StoreCommand.Relay f) {
                maxId = Math.max(maxId, f.message().id());
            }
        }
        if (maxId > 0) {
            meta.add(new MetaWrite(
                    MAX_ID + node, ByteBuffer.allocate(8).putLong(maxId).array()));
        }
    }

    private static @Nullable String clientOf(StoreCommand c) {
        if (c instanceof StoreCommand.PutSession p) {
            return p.session().clientId();
        } else if (c instanceof StoreCommand.DeleteSession d) {
            return d.clientId();
        } else if (c instanceof StoreCommand.PutSubscription s) {
            return s.clientId();
        } else if (c instanceof StoreCommand.DeleteSubscription s) {
            return s.clientId();
        } else if (c instanceof StoreCommand.Enqueue e) {
            return e.clientId();
        } else if (c instanceof StoreCommand.Dequeue d) {
            return d.clientId();
        } else if (c instanceof StoreCommand.PutInflight f) {
            return f.clientId();
        } else if (c instanceof StoreCommand.PutInbound i) {
            return i.clientId();
        } else if (c instanceof StoreCommand.DeleteInbound i) {
            return i.clientId();
        } else if (c instanceof StoreCommand.TakeForwarded t) {
            return t.clientId();
        } else if (c instanceof StoreCommand.VolatileChange v) {
            return clientOf(v.change()); // a node that lost the session changes its routing no more (ADR 16)
        }
        return null; // retained messages belong to nobody; a forward only writes to an inbox (ADR 13)
    }
}
