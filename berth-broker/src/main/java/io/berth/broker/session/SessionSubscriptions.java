package io.berth.broker.session;

import io.berth.broker.store.Subscription;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A session's subscriptions by filter, in the order they were first made. Most sessions have one: it is
 * held in a field, with no map; a map is made at the second filter (and kept).
 *
 * <p>Threading: owned by the session's shard, like the session.
 */
final class SessionSubscriptions {
    /** The only subscription while {@link #more} is null; null when there is none. */
    private @Nullable Subscription one;
    /** Every subscription once there were two at a time; null until then. */
    private @Nullable LinkedHashMap<String, Subscription> more;

    /** Adds or replaces the subscription to {@code filter} ({@code sub.filter()}); returns the one replaced. */
    @Nullable
    Subscription put(String filter, Subscription sub) {
        assert filter.equals(sub.filter()) : filter + " is not the filter of " + sub;
        LinkedHashMap<String, Subscription> map = more;
        if (map != null) {
            return map.put(filter, sub);
        }
        Subscription previous = one;
        if (previous == null || previous.filter().equals(filter)) {
            one = sub;
            return previous;
        }
        map = new LinkedHashMap<>(4);
        map.put(previous.filter(), previous);
        map.put(filter, sub);
        more = map;
        one = null;
        return null;
    }

    /** Removes the subscription to {@code filter}; returns it, or null when there was none. */
    @Nullable
    Subscription remove(String filter) {
        if (more != null) {
            return more.remove(filter);
        }
        Subscription previous = one;
        if (previous != null && previous.filter().equals(filter)) {
            one = null;
            return previous;
        }
        return null;
    }

    /** The subscription to {@code filter}, or null when there is none. */
    @Nullable
    Subscription get(String filter) {
        LinkedHashMap<String, Subscription> map = more;
        if (map != null) {
            return map.get(filter);
        }
        Subscription only = one;
        return only != null && only.filter().equals(filter) ? only : null;
    }

    boolean containsKey(String filter) {
        return get(filter) != null;
    }

    int size() {
        if (more != null) {
            return more.size();
        }
        return one == null ? 0 : 1;
    }

    /** The subscriptions in the order they were first made; a view, not to be changed. */
    Collection<Subscription> values() {
        if (more != null) {
            return more.values();
        }
        return one == null ? List.of() : List.of(one);
    }

    /** Whether a map was made (at a second filter); for tests. */
    boolean usesMap() {
        return more != null;
    }
}
