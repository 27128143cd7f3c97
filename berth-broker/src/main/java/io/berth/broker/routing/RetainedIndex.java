package io.berth.broker.routing;

import io.berth.broker.config.RetainedLimits;
import io.berth.broker.store.StoredMessage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The retained message of every topic that has one, in a tree of topic levels so that a wildcard
 * subscription visits only the branches its filter can match; the store holds the durable copy. Counts
 * and bytes are kept in all and per publishing client, against {@link RetainedLimits}.
 *
 * <p>With a durable store ({@code load} not null) the payloads stay in the store: once a message's
 * write is committed ({@link #committed}) its entry keeps only what matching and delivery decisions need
 * (id, topic, size, QoS, properties, publisher) and {@link #matching} reads the payload back with
 * {@code load}. Until then the entry holds the whole message, so that a subscriber never misses a
 * message whose write is still on its way to the store.
 *
 * <p>Threading: writers (the shards of publishing sessions) take a lock, so that a limit check and its
 * update are one step; readers (any shard) walk the concurrent tree without it and see each topic's
 * message either before or after a write.
 */
public final class RetainedIndex {
    private static final byte[] NO_PAYLOAD = new byte[0];

    private final RetainedLimits limits;
    private final @Nullable Function<String, StoredMessage> load;
    private final Node root = new Node();
    private final Object lock = new Object();
    // guarded by lock
    private long count;
    private long bytes;
    private final Map<String, Usage> byClient = new HashMap<>();

    /** An index that keeps payloads in memory (for a store that is not durable, and tests). */
    public RetainedIndex(RetainedLimits limits) {
        this(limits, null);
    }

    /**
     * @param load reads a topic's committed retained message from the store (any thread); null keeps
     *     payloads in memory
     */
    public RetainedIndex(RetainedLimits limits, @Nullable Function<String, StoredMessage> load) {
        this.limits = limits;
        this.load = load;
    }

    /** Why a retained message is refused. */
    public enum Refusal {
        MAX_MESSAGES("max-retained-messages"),
        MAX_BYTES("max-retained-bytes"),
        MAX_MESSAGES_PER_CLIENT("max-retained-messages-per-client"),
        MAX_BYTES_PER_CLIENT("max-retained-bytes-per-client");

        private final String limit;

        Refusal(String limit) {
            this.limit = limit;
        }

        /** The name of the limit, for logs and metrics. */
        public String limit() {
            return limit;
        }
    }

    private static final class Usage {
        long count;
        long bytes;
    }

    private static final class Node {
        final Map<String, Node> children = new ConcurrentHashMap<>();
        volatile @Nullable Entry entry;
    }

    /** A retained message; {@code message} has no payload when {@code stub} (it is in the store). */
    private record Entry(StoredMessage message, int size, boolean stub) {
        static Entry full(StoredMessage m) {
            return new Entry(m, m.sizeBytes(), false);
        }

        Entry withoutPayload() {
            StoredMessage m = message;
            return new Entry(
                    new StoredMessage(
                            m.id(),
                            m.topic(),
                            NO_PAYLOAD,
                            m.qos(),
                            m.retain(),
                            m.properties(),
                            m.arrivalMillis(),
                            m.publisherId()),
                    size,
                    true);
        }

        String publisherId() {
            return message.publisherId();
        }
    }

    /**
     * Makes {@code message} its topic's retained message unless that passes a limit; returns null when
     * it is retained, else the limit it would pass (nothing changes then).
     */
    public @Nullable Refusal put(StoredMessage message) {
        synchronized (lock) {
            Node node = root;
            for (String level : levels(message.topic())) {
                node = node.children.computeIfAbsent(level, l -> new Node());
            }
            Entry old = node.entry;
            Entry entry = Entry.full(message);
            Refusal refusal = check(old, entry);
            if (refusal != null) {
                prune(message.topic());
                return refusal;
            }
            account(old, -1);
            account(entry, 1);
            node.entry = entry;
            return null;
        }
    }

    /** Puts back a message read from the store at start, whatever the limits say now. */
    public void restore(StoredMessage message) {
        synchronized (lock) {
            Node node = root;
            for (String level : levels(message.topic())) {
                node = node.children.computeIfAbsent(level, l -> new Node());
            }
            Entry entry =
                    load == null ? Entry.full(message) : Entry.full(message).withoutPayload();
            account(node.entry, -1);
            account(entry, 1);
            node.entry = entry;
        }
    }

    /**
     * The write of {@code message} (from {@link #put}) is committed: unless a newer message replaced it
     * meanwhile, its payload may now be read from the store instead of being held here.
     */
    public void committed(StoredMessage message) {
        if (load == null) {
            return;
        }
        synchronized (lock) {
            Node node = find(message.topic());
            Entry e = node == null ? null : node.entry;
            if (node != null && e != null && !e.stub() && e.message().id() == message.id()) {
                node.entry = e.withoutPayload();
            }
        }
    }

    /** Clears the retained message of {@code topic}, if any. */
    public void remove(String topic) {
        synchronized (lock) {
            Node node = find(topic);
            if (node != null && node.entry != null) {
                account(node.entry, -1);
                node.entry = null;
                prune(topic);
            }
        }
    }

    public int size() {
        synchronized (lock) {
            return (int) count;
        }
    }

    /** Payload plus topic bytes of every retained message. */
    public long bytes() {
        synchronized (lock) {
            return bytes;
        }
    }

    /**
     * The retained messages whose topic matches {@code filter} (not a shared filter), not expired, with
     * their payloads (read from the store for those kept there).
     */
    public List<StoredMessage> matching(String filter, long nowMillis) {
        List<Entry> entries = new ArrayList<>();
        collect(root, levels(filter), 0, nowMillis, entries);
        List<StoredMessage> out = new ArrayList<>(entries.size());
        for (Entry e : entries) {
            StoredMessage m = e.stub() ? loadStub(e) : e.message();
            // null: cleared since; a newer message read from the store is as good
            if (m != null && m.expiresAtMillis() > nowMillis) {
                out.add(m);
            }
        }
        return out;
    }

    /** The whole message of a stub, which only exists when payloads stay in the store. */
    private @Nullable StoredMessage loadStub(Entry stub) {
        if (load == null) {
            throw new IllegalStateException("stub without a store to load it from");
        }
        return load.apply(stub.message().topic());
    }

    private void collect(Node node, String[] filter, int i, long now, List<Entry> out) {
        if (i == filter.length) {
            add(node, now, out);
            return;
        }
        String level = filter[i];
        if (level.equals("#")) {
            // "a/#" also matches "a" [MQTT-4.7.1-2]
            add(node, now, out);
            for (Map.Entry<String, Node> c : node.children.entrySet()) {
                if (!(i == 0 && c.getKey().startsWith("$"))) {
                    everything(c.getValue(), now, out);
                }
            }
        } else if (level.equals("+")) {
            for (Map.Entry<String, Node> c : node.children.entrySet()) {
                // [MQTT-4.7.2-1] a wildcard in the first level does not match topics starting with '$'
                if (!(i == 0 && c.getKey().startsWith("$"))) {
                    collect(c.getValue(), filter, i + 1, now, out);
                }
            }
        } else {
            Node child = node.children.get(level);
            if (child != null) {
                collect(child, filter, i + 1, now, out);
            }
        }
    }

    private static void everything(Node node, long now, List<Entry> out) {
        add(node, now, out);
        for (Node c : node.children.values()) {
            everything(c, now, out);
        }
    }

    private static void add(Node node, long now, List<Entry> out) {
        Entry e = node.entry;
        if (e != null && e.message().expiresAtMillis() > now) {
            out.add(e);
        }
    }

    private @Nullable Refusal check(@Nullable Entry old, Entry message) {
        long size = message.size();
        long oldSize = old == null ? 0 : old.size();
        long oldCount = old == null ? 0 : 1;
        if (count - oldCount + 1 > limits.maxMessages()) {
            return Refusal.MAX_MESSAGES;
        }
        if (bytes - oldSize + size > limits.maxBytes()) {
            return Refusal.MAX_BYTES;
        }
        Usage u = byClient.get(message.publisherId());
        boolean same = old != null && old.publisherId().equals(message.publisherId());
        long clientCount = (u == null ? 0 : u.count) - (same ? 1 : 0);
        long clientBytes = (u == null ? 0 : u.bytes) - (same ? oldSize : 0);
        if (clientCount + 1 > limits.maxMessagesPerClient()) {
            return Refusal.MAX_MESSAGES_PER_CLIENT;
        }
        if (clientBytes + size > limits.maxBytesPerClient()) {
            return Refusal.MAX_BYTES_PER_CLIENT;
        }
        return null;
    }

    private void account(@Nullable Entry m, int sign) {
        if (m == null) {
            return;
        }
        count += sign;
        bytes += (long) sign * m.size();
        Usage u = byClient.computeIfAbsent(m.publisherId(), c -> new Usage());
        u.count += sign;
        u.bytes += (long) sign * m.size();
        if (u.count == 0) {
            byClient.remove(m.publisherId());
        }
    }

    private @Nullable Node find(String topic) {
        Node node = root;
        for (String level : levels(topic)) {
            node = node.children.get(level);
            if (node == null) {
                return null;
            }
        }
        return node;
    }

    /** Removes the empty nodes on the path of {@code topic}, deepest first. */
    private void prune(String topic) {
        String[] levels = levels(topic);
        Node[] path = new Node[levels.length + 1];
        path[0] = root;
        for (int i = 0; i < levels.length; i++) {
            path[i + 1] = path[i].children.get(levels[i]);
            if (path[i + 1] == null) {
                return;
            }
        }
        for (int i = levels.length; i > 0; i--) {
            Node n = path[i];
            if (n.entry != null || !n.children.isEmpty()) {
                return;
            }
            path[i - 1].children.remove(levels[i - 1], n);
        }
    }

    private static String[] levels(String topicOrFilter) {
        return topicOrFilter.split("/", -1);
    }
}
