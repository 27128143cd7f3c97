package io.berth.broker.routing;

import io.berth.broker.config.RetainedLimits;
import io.berth.broker.store.StoredMessage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The retained message of every topic that has one, in a tree of topic levels so that a wildcard
 * subscription visits only the branches its filter can match; the store holds the durable copy. Counts
 * and bytes are kept in all and per publishing client, against {@link RetainedLimits}.
 *
 * <p>Threading: writers (the shards of publishing sessions) take a lock, so that a limit check and its
 * update are one step; readers (any shard) walk the concurrent tree without it and see each topic's
 * message either before or after a write.
 */
public final class RetainedIndex {
    private final RetainedLimits limits;
    private final Node root = new Node();
    private final Object lock = new Object();
    // guarded by lock
    private long count;
    private long bytes;
    private final Map<String, Usage> byClient = new HashMap<>();

    public RetainedIndex(RetainedLimits limits) {
        this.limits = limits;
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
        volatile StoredMessage message;
    }

    /**
     * Makes {@code message} its topic's retained message unless that passes a limit; returns null when
     * it is retained, else the limit it would pass (nothing changes then).
     */
    public Refusal put(StoredMessage message) {
        synchronized (lock) {
            Node node = root;
            for (String level : levels(message.topic())) {
                node = node.children.computeIfAbsent(level, l -> new Node());
            }
            StoredMessage old = node.message;
            Refusal refusal = check(old, message);
            if (refusal != null) {
                prune(message.topic());
                return refusal;
            }
            account(old, -1);
            account(message, 1);
            node.message = message;
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
            account(node.message, -1);
            account(message, 1);
            node.message = message;
        }
    }

    /** Clears the retained message of {@code topic}, if any. */
    public void remove(String topic) {
        synchronized (lock) {
            Node node = find(topic);
            if (node != null && node.message != null) {
                account(node.message, -1);
                node.message = null;
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

    /** The retained messages whose topic matches {@code filter} (not a shared filter), not expired. */
    public List<StoredMessage> matching(String filter, long nowMillis) {
        List<StoredMessage> out = new ArrayList<>();
        collect(root, levels(filter), 0, nowMillis, out);
        return out;
    }

    private void collect(Node node, String[] filter, int i, long now, List<StoredMessage> out) {
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

    private static void everything(Node node, long now, List<StoredMessage> out) {
        add(node, now, out);
        for (Node c : node.children.values()) {
            everything(c, now, out);
        }
    }

    private static void add(Node node, long now, List<StoredMessage> out) {
        StoredMessage m = node.message;
        if (m != null && m.expiresAtMillis() > now) {
            out.add(m);
        }
    }

    private Refusal check(StoredMessage old, StoredMessage message) {
        long size = message.sizeBytes();
        long oldSize = old == null ? 0 : old.sizeBytes();
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

    private void account(StoredMessage m, int sign) {
        if (m == null) {
            return;
        }
        count += sign;
        bytes += (long) sign * m.sizeBytes();
        Usage u = byClient.computeIfAbsent(m.publisherId(), c -> new Usage());
        u.count += sign;
        u.bytes += (long) sign * m.sizeBytes();
        if (u.count == 0) {
            byClient.remove(m.publisherId());
        }
    }

    private Node find(String topic) {
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
            if (n.message != null || !n.children.isEmpty()) {
                return;
            }
            path[i - 1].children.remove(levels[i - 1], n);
        }
    }

    private static String[] levels(String topicOrFilter) {
        return topicOrFilter.split("/", -1);
    }
}
