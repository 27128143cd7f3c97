package io.berth.broker.routing;

import io.berth.broker.store.Subscription;
import io.berth.codec.Topics;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * The subscription tree: one node per topic level, wildcards as ordinary children named "+" and "#".
 * Shared subscriptions ({@code $share/group/filter}) sit at the node of their filter, one member map per
 * group.
 *
 * <p>A node makes its maps when it first needs them, and holds a single subscriber in a field of its own
 * (most filters of persistent sessions have one: {@code devices/42/commands}); its map of subscribers is
 * made at the second. So a node of one subscriber and no children costs a few dozen bytes, not three maps.
 *
 * <p>Threading: lock-free reads and writes: concurrent maps, and a compare-and-set on a node's fields
 * when a map or the single subscriber is put in place. A subscriber's entries are written only by the
 * shard that owns its session, so no two threads write the same entry. Empty nodes are kept (a later
 * subscription to the same filter reuses them).
 */
public final class TopicTree {
    private final Node root = new Node();
    private final AtomicInteger size = new AtomicInteger();

    /** Adds or replaces the subscription of {@code clientId} to {@code sub.filter()}. */
    public void subscribe(String clientId, Subscription sub) {
        String filter = sub.filter();
        String group = Topics.isShared(filter) ? Topics.shareGroup(filter) : null;
        Node node = root;
        for (String level : levels(filter)) {
            node = node.children().computeIfAbsent(level, l -> new Node());
        }
        Subscription previous = group == null
                ? node.putSubscriber(clientId, sub)
                : node.shared()
                        .computeIfAbsent(group, g -> new SharedGroup(g, sub.filter()))
                        .members
                        .put(clientId, sub);
        if (previous == null) {
            size.incrementAndGet();
        }
    }

    /** Removes the subscription of {@code clientId} to {@code filter}; true when there was one. */
    public boolean unsubscribe(String clientId, String filter) {
        String group = Topics.isShared(filter) ? Topics.shareGroup(filter) : null;
        Node node = root;
        for (String level : levels(filter)) {
            node = node.child(level);
            if (node == null) {
                return false;
            }
        }
        Subscription removed;
        if (group == null) {
            removed = node.removeSubscriber(clientId);
        } else {
            SharedGroup g = node.sharedGroup(group);
            removed = g == null ? null : g.members.remove(clientId);
        }
        if (removed != null) {
            size.decrementAndGet();
        }
        return removed != null;
    }

    /** The levels of a filter, without a {@code $share/group/} prefix. */
    private static String[] levels(String filter) {
        String afterGroup = Topics.shareFilter(filter);
        return (afterGroup != null ? afterGroup : filter).split("/", -1);
    }

    /** The group of a shared filter ({@code $share/group/filter}), or null when it has none. */
    public @Nullable SharedGroup sharedGroup(String sharedFilter) {
        Node node = root;
        for (String level : levels(sharedFilter)) {
            node = node.child(level);
            if (node == null) {
                return null;
            }
        }
        return node.sharedGroup(Topics.shareGroup(sharedFilter));
    }

    /** How many subscriptions the tree holds. */
    public int size() {
        return size.get();
    }

    /** Calls {@code visitor} for every subscription whose filter matches {@code topic}. */
    public void match(String topic, MatchVisitor visitor) {
        String[] levels = topic.split("/", -1);
        boolean dollar = topic.startsWith("$");
        match(root, levels, 0, dollar, visitor);
    }

    private static void match(Node node, String[] levels, int i, boolean dollar, MatchVisitor visitor) {
        // [MQTT-4.7.2-1] topics starting with $ are not matched by filters starting with a wildcard
        boolean wildcardsAllowed = !(i == 0 && dollar);
        if (wildcardsAllowed) {
            Node multi = node.child("#");
            if (multi != null) {
                visit(multi, visitor);
            }
        }
        if (i == levels.length) {
            visit(node, visitor);
            return;
        }
        Node exact = node.child(levels[i]);
        if (exact != null) {
            match(exact, levels, i + 1, dollar, visitor);
        }
        if (wildcardsAllowed) {
            Node single = node.child("+");
            if (single != null) {
                match(single, levels, i + 1, dollar, visitor);
            }
        }
    }

    private static void visit(Node node, MatchVisitor visitor) {
        Object subscribers = node.subscribers;
        if (subscribers instanceof One one) {
            visitor.subscriber(one.clientId(), one.subscription());
        } else if (subscribers instanceof Many many) {
            for (Map.Entry<String, Subscription> e : many.entrySet()) {
                visitor.subscriber(e.getKey(), e.getValue());
            }
        }
        Map<String, SharedGroup> shared = node.shared;
        if (shared != null) {
            for (SharedGroup g : shared.values()) {
                if (!g.members.isEmpty()) {
                    visitor.sharedGroup(g);
                }
            }
        }
    }

    /** Receives the matches of one topic. */
    public interface MatchVisitor {
        void subscriber(String clientId, Subscription subscription);

        void sharedGroup(SharedGroup group);
    }

    /** The members of one shared subscription group at one filter. */
    public static final class SharedGroup {
        private final String name;
        private final String sharedFilter;
        final Map<String, Subscription> members = new ConcurrentHashMap<>();
        private final AtomicInteger next = new AtomicInteger();

        SharedGroup(String name, String sharedFilter) {
            this.name = name;
            this.sharedFilter = sharedFilter;
        }

        public String name() {
            return name;
        }

        /** The whole filter, {@code $share/group/filter}: what identifies the group. */
        public String sharedFilter() {
            return sharedFilter;
        }

        public Map<String, Subscription> members() {
            return members;
        }

        /** A rotating start index for choosing the next member. */
        public int nextIndex() {
            return next.getAndIncrement() & Integer.MAX_VALUE;
        }
    }

    /** A node's only subscriber. */
    private record One(String clientId, Subscription subscription) {}

    /** A node's subscribers once it had two at a time (kept from then on). */
    private static final class Many extends ConcurrentHashMap<String, Subscription> {
        private static final long serialVersionUID = 1L;

        Many() {
            super(4);
        }
    }

    /** One topic level. Each field is null until it is first needed, and set by compare-and-set. */
    private static final class Node {
        private static final VarHandle CHILDREN;
        private static final VarHandle SUBSCRIBERS;
        private static final VarHandle SHARED;

        static {
            try {
                MethodHandles.Lookup lookup = MethodHandles.lookup();
                CHILDREN = lookup.findVarHandle(Node.class, "children", ConcurrentHashMap.class);
                SUBSCRIBERS = lookup.findVarHandle(Node.class, "subscribers", Object.class);
                SHARED = lookup.findVarHandle(Node.class, "shared", ConcurrentHashMap.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private volatile @Nullable ConcurrentHashMap<String, Node> children;
        /** Null, {@link One} or {@link Many}. */
        private volatile @Nullable Object subscribers;

        private volatile @Nullable ConcurrentHashMap<String, SharedGroup> shared;

        @Nullable
        Node child(String level) {
            ConcurrentHashMap<String, Node> c = children;
            return c == null ? null : c.get(level);
        }

        ConcurrentHashMap<String, Node> children() {
            ConcurrentHashMap<String, Node> c = children;
            if (c == null) {
                CHILDREN.compareAndSet(this, null, new ConcurrentHashMap<String, Node>(2));
                c = Objects.requireNonNull(children);
            }
            return c;
        }

        @Nullable
        SharedGroup sharedGroup(@Nullable String group) {
            ConcurrentHashMap<String, SharedGroup> s = shared;
            return s == null || group == null ? null : s.get(group);
        }

        ConcurrentHashMap<String, SharedGroup> shared() {
            ConcurrentHashMap<String, SharedGroup> s = shared;
            if (s == null) {
                SHARED.compareAndSet(this, null, new ConcurrentHashMap<String, SharedGroup>(2));
                s = Objects.requireNonNull(shared);
            }
            return s;
        }

        /** Adds or replaces the subscription of {@code clientId}; returns the one it replaced. */
        @Nullable
        Subscription putSubscriber(String clientId, Subscription sub) {
            while (true) {
                Object current = subscribers;
                if (current instanceof Many many) {
                    return many.put(clientId, sub);
                }
                if (current == null) {
                    if (SUBSCRIBERS.compareAndSet(this, null, new One(clientId, sub))) {
                        return null;
                    }
                } else {
                    One one = (One) current;
                    if (one.clientId().equals(clientId)) {
                        if (SUBSCRIBERS.compareAndSet(this, current, new One(clientId, sub))) {
                            return one.subscription();
                        }
                    } else {
                        Many many = new Many();
                        many.put(one.clientId(), one.subscription());
                        many.put(clientId, sub);
                        if (SUBSCRIBERS.compareAndSet(this, current, many)) {
                            return null;
                        }
                    }
                }
            }
        }

        /** Removes the subscription of {@code clientId}; returns it, or null when there was none. */
        @Nullable
        Subscription removeSubscriber(String clientId) {
            while (true) {
                Object current = subscribers;
                if (current instanceof Many many) {
                    return many.remove(clientId);
                }
                if (!(current instanceof One one) || !one.clientId().equals(clientId)) {
                    return null;
                }
                if (SUBSCRIBERS.compareAndSet(this, current, null)) {
                    return one.subscription();
                }
            }
        }
    }
}
