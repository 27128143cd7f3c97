package io.berth.broker.cluster;

import io.berth.broker.routing.TopicTree;
import io.berth.broker.store.SessionRecord;
import io.berth.broker.store.StoreCommand;
import io.berth.broker.store.StoredMessage;
import io.berth.broker.store.Subscription;
import io.berth.broker.store.rocksdb.CommandCodec;
import io.berth.broker.store.rocksdb.RocksSessionStore.MetaWrite;
import io.berth.codec.Topics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sessions that end with their connection (Session Expiry 0, 3.1.1 Clean Session 1) of every node, as
 * the applied log says (ADR 16): their records (for their wills) and subscriptions, tagged with the node
 * that serves them, so that a publish on any node knows which other nodes to relay a message to, a shared
 * subscription counts them as members, and a node that is gone leaves nothing behind. Their queues stay in
 * their node's memory (ADR 3).
 *
 * <p>Kept in the replica too ({@code volatile/<node>/<client id>/...} rows of the {@code meta} family,
 * written in the entry's batch), so that a restarted node and a snapshot know them; a node's rows go when
 * its sessions are adopted ({@link #dropNode}), a session's when it ends or another node claims it.
 *
 * <p>Threading: changed on the state machine's apply thread only, in log order; {@link #relayNodes} is read
 * by the publishers' shards (trees on concurrent maps).
 */
final class VolatileIndex {
    private static final Logger LOG = LoggerFactory.getLogger(VolatileIndex.class);
    static final String ROWS = "volatile/";

    private final SubscriptionIndex index;
    /** The non-shared subscriptions of each node's sessions; read by the shards. */
    private final Map<String, TopicTree> trees = new ConcurrentHashMap<>();
    /** Each node's sessions by client id; apply thread only. */
    private final Map<String, Map<String, Known>> byNode = new HashMap<>();

    /** One session as the log says: its last record (null before its first) and its subscriptions. */
    private static final class Known {
        @Nullable
        SessionRecord record;

        final Map<String, Subscription> subscriptions = new LinkedHashMap<>();
    }

    /**
     * What applying an entry's commands gave.
     *
     * @param kept the commands for the rest of the state machine (those of this class taken out)
     * @param relayed the messages relayed to this node's sessions, in log order
     */
    record Applied(List<StoreCommand> kept, List<StoredMessage> relayed) {}

    VolatileIndex(SubscriptionIndex index) {
        this.index = index;
    }

    /**
     * Reads what the replica holds, in place of what was known (at start, after a snapshot); after {@link
     * SubscriptionIndex#load}, before the next entry is applied.
     */
    void load(Replica store) {
        byNode.forEach((node, sessions) -> sessions.forEach((clientId, known) -> forget(node, clientId, known)));
        byNode.clear();
        trees.clear();
        store.readMeta(ROWS).forEach((key, value) -> {
            String node = nodeOfRow(key);
            try {
                change(node, CommandCodec.decode(value).get(0), null);
            } catch (RuntimeException e) {
                LOG.error("replica row {} is not a session's record or subscription; skipped", key, e);
            }
        });
    }

    /** The node of a row key {@code volatile/<length>:<node>/...}. */
    private static String nodeOfRow(String key) {
        int colon = key.indexOf(':', ROWS.length());
        int length = Integer.parseInt(key.substring(ROWS.length(), colon));
        return key.substring(colon + 1, colon + 1 + length);
    }

    private static String nodePrefix(String node) {
        return ROWS + node.length() + ":" + node + "/";
    }

    private static String sessionPrefix(String node, String clientId) {
        return nodePrefix(node) + clientId.length() + ":" + clientId + "/";
    }

    /**
     * Takes the {@link StoreCommand.VolatileChange}s and {@link StoreCommand.Relay}s out of an entry of
     * {@code node}'s (fenced already: a node changes only the sessions it owns).
     */
    Applied apply(String node, List<StoreCommand> commands, String self, List<MetaWrite> meta) {
        List<StoreCommand> kept = null;
        List<StoredMessage> relayed = List.of();
        for (int i = 0; i < commands.size(); i++) {
            StoreCommand c = commands.get(i);
            boolean mine = c instanceof StoreCommand.VolatileChange || c instanceof StoreCommand.Relay;
            if (!mine) {
                if (kept != null) {
                    kept.add(c);
                }
                continue;
            }
            if (kept == null) {
                kept = new ArrayList<>(commands.subList(0, i));
            }
            if (c instanceof StoreCommand.VolatileChange v) {
                change(node, v.change(), meta);
            } else if (c instanceof StoreCommand.Relay r && r.node().equals(self)) {
                if (relayed.isEmpty()) {
                    relayed = new ArrayList<>();
                }
                relayed.add(r.message());
            }
        }
        return new Applied(kept == null ? commands : kept, relayed);
    }

    /** Applies one change of {@code node}'s; {@code meta} null while loading (the rows are there). */
    private void change(String node, StoreCommand change, @Nullable List<MetaWrite> meta) {
        if (change instanceof StoreCommand.DeleteSession d) {
            Map<String, Known> sessions = byNode.get(node);
            @Nullable Known known = sessions == null ? null : sessions.remove(d.clientId());
            if (known != null) {
                forget(node, d.clientId(), known);
            }
            if (meta != null) {
                meta.add(MetaWrite.deletePrefix(sessionPrefix(node, d.clientId())));
            }
            return;
        }
        if (change instanceof StoreCommand.DeleteSubscription d) {
            Map<String, Known> sessions = byNode.get(node);
            @Nullable Known known = sessions == null ? null : sessions.get(d.clientId());
            if (known != null && known.subscriptions.remove(d.filter()) != null) {
                unsubscribe(node, d.clientId(), d.filter());
            }
            if (meta != null) {
                meta.add(new MetaWrite(sessionPrefix(node, d.clientId()) + "s/" + d.filter(), null));
            }
            return;
        }
        String clientId = clientOf(change);
        Known known = byNode.computeIfAbsent(node, n -> new HashMap<>()).computeIfAbsent(clientId, c -> new Known());
        index.volatileSession(clientId, node);
        String row;
        if (change instanceof StoreCommand.PutSession p) {
            known.record = p.session();
            row = sessionPrefix(node, clientId) + "r";
        } else if (change instanceof StoreCommand.PutSubscription p) {
            Subscription sub = p.subscription();
            known.subscriptions.put(sub.filter(), sub);
            if (Topics.isShared(sub.filter())) {
                index.subscribeShared(clientId, sub);
            } else {
                trees.computeIfAbsent(node, n -> new TopicTree()).subscribe(clientId, sub);
            }
            row = sessionPrefix(node, clientId) + "s/" + sub.filter();
        } else {
            throw new IllegalArgumentException("not a change of a session's record or subscriptions: " + change);
        }
        if (meta != null) {
            meta.add(new MetaWrite(row, CommandCodec.encode(List.of(change))));
        }
    }

    private static String clientOf(StoreCommand change) {
        if (change instanceof StoreCommand.PutSession p) {
            return p.session().clientId();
        } else if (change instanceof StoreCommand.PutSubscription p) {
            return p.clientId();
        }
        throw new IllegalArgumentException("not a change of a session's record or subscriptions: " + change);
    }

    private void unsubscribe(String node, String clientId, String filter) {
        if (Topics.isShared(filter)) {
            index.unsubscribeShared(clientId, filter);
        } else {
            TopicTree tree = trees.get(node);
            if (tree != null) {
                tree.unsubscribe(clientId, filter);
            }
        }
    }

    /** Takes a session that is no longer known out of the trees and the shared groups. */
    private void forget(String node, String clientId, Known known) {
        for (String filter : known.subscriptions.keySet()) {
            unsubscribe(node, clientId, filter);
        }
        if (node.equals(index.volatileNode(clientId))) {
            index.volatileSession(clientId, null);
        }
    }

    /**
     * Forgets every session of {@code node} (its sessions were adopted: the node is gone, or restarted);
     * returns their records, for the adopter to publish their wills.
     */
    List<SessionRecord> dropNode(String node, List<MetaWrite> meta) {
        Map<String, Known> sessions = byNode.remove(node);
        if (sessions == null) {
            return List.of();
        }
        meta.add(MetaWrite.deletePrefix(nodePrefix(node)));
        List<SessionRecord> wills = new ArrayList<>();
        for (Map.Entry<String, Known> e : new TreeMap<>(sessions).entrySet()) {
            Known known = e.getValue();
            forget(node, e.getKey(), known);
            SessionRecord rec = known.record;
            if (rec != null) {
                wills.add(rec);
            }
        }
        TopicTree tree = trees.remove(node);
        if (tree != null && tree.size() > 0) {
            LOG.warn("node {}: subscriptions left after its sessions were dropped", node);
        }
        return wills;
    }

    /**
     * {@code claimer} claimed the session of {@code clientId}: the session of that id another node served
     * is gone (its connection was closed by the takeover, or went with its node); returns its record when
     * it had a will, for the claimer to publish.
     */
    @Nullable
    SessionRecord claimed(String clientId, String claimer, List<MetaWrite> meta) {
        SessionRecord will = null;
        for (Map.Entry<String, Map<String, Known>> e : byNode.entrySet()) {
            if (e.getKey().equals(claimer)) {
                continue; // a takeover on the node itself: it ends that session as a single node does
            }
            Known known = e.getValue().remove(clientId);
            if (known != null) {
                forget(e.getKey(), clientId, known);
                meta.add(MetaWrite.deletePrefix(sessionPrefix(e.getKey(), clientId)));
                SessionRecord rec = known.record;
                if (rec != null && rec.will() != null) {
                    will = rec;
                }
            }
        }
        return will;
    }

    /**
     * The nodes other than {@code self} that serve a session that ends with its connection and has a
     * (non-shared) subscription matching {@code topic}, but for a No Local one of {@code publisherId}'s.
     */
    Set<String> relayNodes(String topic, String publisherId, String self) {
        Set<String> nodes = Set.of();
        for (Map.Entry<String, TopicTree> e : trees.entrySet()) {
            if (e.getKey().equals(self) || e.getValue().size() == 0) {
                continue;
            }
            boolean[] matched = {false};
            e.getValue().match(topic, new TopicTree.MatchVisitor() {
                @Override
                public void subscriber(String clientId, Subscription sub) {
                    // [MQTT-3.8.3-3] No Local: not to the publisher's own subscription
                    if (!(sub.noLocal() && clientId.equals(publisherId))) {
                        matched[0] = true;
                    }
                }

                @Override
                public void sharedGroup(TopicTree.SharedGroup group) {}
            });
            if (matched[0]) {
                if (nodes.isEmpty()) {
                    nodes = new TreeSet<>();
                }
                nodes.add(e.getKey());
            }
        }
        return nodes;
    }
}
