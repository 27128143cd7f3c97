package io.berth.broker.cluster;

import io.berth.broker.session.SessionHandover;
import io.berth.broker.store.StoreCommand;
import io.berth.broker.store.rocksdb.CommandCodec;
import io.berth.broker.store.rocksdb.RocksSessionStore.MetaWrite;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inboxes of the sessions (ADR 13): messages published on any node for a durable session, kept in
 * the replicas until the session's owner moves them into its queue. A {@link StoreCommand.Forward} of an
 * applied entry becomes one row {@code inbox/<length>:<client id>/<key>} of the {@code meta} family, its
 * key the entry's log index and its place among the entry's forwards ({@code index << 20 | slot}, 16 hex
 * digits), so that the rows of a session sort in log order. A {@link StoreCommand.TakeForwarded} deletes a
 * row and queues its message in the same batch, and records the key as the session's last one taken
 * ({@code inbox-taken/<client id>}): the owner takes rows in key order, so a take at or below that key
 * has been applied before and changes nothing (exactly once, also for a take that a node submitted before
 * it restarted or lost the session). Deleting a session deletes its rows.
 *
 * <p>Threading: {@link #apply} on the state machine's apply thread, one entry at a time in log order;
 * {@link #read} on any thread (it reads the replica only).
 */
final class Inboxes {
    private static final Logger LOG = LoggerFactory.getLogger(Inboxes.class);
    static final String ROWS = "inbox/";
    static final String TAKEN = "inbox-taken/";
    static final String SHARE_TURN = "share-turn/";
    /** Forwards per entry that fit the slot bits of a key. */
    static final int MAX_SLOTS = 1 << 20;

    /** The last key taken per session (or the key below which its rows were deleted with it). */
    private final Map<String, Long> taken = new HashMap<>();
    /** How many messages each shared subscription got so far: the round robin's place. */
    private final Map<String, Long> turns = new HashMap<>();

    /**
     * What applying an entry's commands to the inboxes gave: the commands for the store, the sessions
     * that got rows, the sessions a take of which was refused (applied before), whose state on the
     * submitting node is not the replica's, and the messages for members of shared subscriptions that end
     * with their connection and are served by this node (ADR 16: delivered from memory, no row).
     */
    record Applied(
            List<StoreCommand> store,
            Set<String> forwarded,
            Set<String> lost,
            List<StoreCommand.Forward> volatileShared) {}

    /** Reads the last keys taken from the replica (at start, after a snapshot); before the next entry is applied. */
    void load(Replica store) {
        taken.clear();
        turns.clear();
        store.readMeta(TAKEN)
                .forEach((key, v) -> taken.put(
                        key.substring(TAKEN.length()), ByteBuffer.wrap(v).getLong()));
    }

    static String prefix(String clientId) {
        return ROWS + clientId.length() + ":" + clientId + "/";
    }

    /** {@code key} as 16 lower-case hex digits (sorting as it does); no {@code String.format} on the apply path. */
    static String key(long key) {
        String hex = Long.toHexString(key);
        return ZEROS.substring(hex.length()) + hex;
    }

    private static final String ZEROS = "0000000000000000";

    /**
     * The store commands of an entry at log {@code index} with its forwards and takes turned into rows of
     * {@code meta}; {@code owner} tells which node owns a session now (null: there is none), {@code
     * groups} which member of a shared subscription gets a message.
     *
     * @return the commands for the store, the sessions that got rows, and the sessions a take of which
     *     was refused (applied before), whose state on the submitting node is not the replica's
     */
    Applied apply(
            long index,
            List<StoreCommand> commands,
            Function<String, @Nullable String> owner,
            SubscriptionIndex groups,
            List<MetaWrite> meta) {
        return apply(index, commands, owner, groups, meta, "");
    }

    /** As above, on node {@code self}. */
    Applied apply(
            long index,
            List<StoreCommand> commands,
            Function<String, @Nullable String> owner,
            SubscriptionIndex groups,
            List<MetaWrite> meta,
            String self) {
        List<StoreCommand> out = null;
        List<StoreCommand.Forward> volatileShared = List.of();
        Set<String> forwarded = Set.of();
        Set<String> lost = Set.of();
        int slot = 0;
        for (int i = 0; i < commands.size(); i++) {
            StoreCommand c = commands.get(i);
            if (c instanceof StoreCommand.DeleteSession d) {
                meta.add(MetaWrite.deletePrefix(prefix(d.clientId())));
                // rows forwarded before it in this entry are gone with it; those after it are the next session's
                markTaken(d.clientId(), ((index << 20) | slot) - 1, meta);
            }
            boolean forward = c instanceof StoreCommand.Forward || c instanceof StoreCommand.ForwardShared;
            boolean take = c instanceof StoreCommand.TakeForwarded;
            if (!forward && !take) {
                if (out != null) {
                    out.add(c);
                }
                continue;
            }
            if (out == null) {
                out = new ArrayList<>(commands.subList(0, i));
            }
            if (c instanceof StoreCommand.ForwardShared f) {
                // every node picks the same member: the turn is replicated state, the members applied ones
                long turn = turns.getOrDefault(f.sharedFilter(), 0L);
                turns.put(f.sharedFilter(), turn + 1);
                meta.add(new MetaWrite(
                        SHARE_TURN + f.sharedFilter(),
                        ByteBuffer.allocate(8).putLong(turn + 1).array()));
                String member = groups.member(f.sharedFilter(), turn);
                if (member == null) {
                    continue; // the group has no member left
                }
                String at = groups.volatileNode(member);
                if (at != null) {
                    // a member that ends with its connection: its node delivers from memory (ADR 16)
                    if (at.equals(self)) {
                        if (volatileShared.isEmpty()) {
                            volatileShared = new ArrayList<>();
                        }
                        volatileShared.add(new StoreCommand.Forward(member, f.message(), f.sharedFilter()));
                    }
                    continue;
                }
                c = new StoreCommand.Forward(member, f.message(), f.sharedFilter());
            }
            if (c instanceof StoreCommand.Forward f) {
                if (owner.apply(f.clientId()) == null) {
                    continue; // the session ended meanwhile
                }
                if (slot >= MAX_SLOTS) {
                    LOG.error(
                            "log entry {} forwards more than {} messages; {} not kept", index, MAX_SLOTS, f.clientId());
                    continue;
                }
                long key = (index << 20) | slot++;
                meta.add(new MetaWrite(prefix(f.clientId()) + key(key), CommandCodec.encode(List.of(f))));
                forwarded = add(forwarded, f.clientId());
            } else if (c instanceof StoreCommand.TakeForwarded t) {
                Long last = taken.get(t.clientId());
                if (last != null && t.inboxKey() <= last) {
                    if (t.enqueue() != null) {
                        lost = add(lost, t.clientId());
                    }
                    continue;
                }
                meta.add(new MetaWrite(prefix(t.clientId()) + key(t.inboxKey()), null));
                markTaken(t.clientId(), t.inboxKey(), meta);
                if (t.enqueue() != null) {
                    out.add(t.enqueue());
                }
            }
        }
        return new Applied(out == null ? commands : out, forwarded, lost, volatileShared);
    }

    private void markTaken(String clientId, long key, List<MetaWrite> meta) {
        taken.put(clientId, key);
        meta.add(new MetaWrite(
                TAKEN + clientId, ByteBuffer.allocate(8).putLong(key).array()));
    }

    private static Set<String> add(Set<String> set, String clientId) {
        Set<String> s = set.isEmpty() ? new HashSet<>() : set;
        s.add(clientId);
        return s;
    }

    /** At most {@code max} rows of {@code clientId}'s inbox after {@code afterKey}, in key order. */
    static List<SessionHandover.Forwarded> read(Replica store, String clientId, long afterKey, int max) {
        List<SessionHandover.Forwarded> rows = new ArrayList<>();
        String prefix = prefix(clientId);
        store.readMeta(prefix, afterKey < 0 ? "" : key(afterKey), max).forEach((k, v) -> {
            long key = Long.parseUnsignedLong(k.substring(prefix.length()), 16);
            if (key > afterKey && CommandCodec.decode(v).get(0) instanceof StoreCommand.Forward f) {
                rows.add(new SessionHandover.Forwarded(key, f.message(), f.sharedFilter()));
            }
        });
        return rows;
    }
}
