package io.berth.broker.session;

import java.util.NoSuchElementException;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * A set of queue positions that is empty most of the time: the tree behind it exists only while it
 * holds something, so an idle session keeps none.
 *
 * <p>Threading: owned by the session's shard.
 */
final class PositionSet {
    private @Nullable TreeSet<Long> positions;

    boolean add(long seq) {
        if (positions == null) {
            positions = new TreeSet<>();
        }
        return positions.add(seq);
    }

    boolean remove(long seq) {
        if (positions == null || !positions.remove(seq)) {
            return false;
        }
        if (positions.isEmpty()) {
            positions = null;
        }
        return true;
    }

    boolean contains(long seq) {
        return positions != null && positions.contains(seq);
    }

    boolean isEmpty() {
        return positions == null;
    }

    int size() {
        return positions == null ? 0 : positions.size();
    }

    /** Removes every position below {@code seq}. */
    void removeBelow(long seq) {
        if (positions != null) {
            positions.headSet(seq).clear();
            if (positions.isEmpty()) {
                positions = null;
            }
        }
    }

    /** The lowest position; only when not empty. */
    long first() {
        TreeSet<Long> p = positions;
        if (p == null) {
            throw new NoSuchElementException("no position");
        }
        return p.first();
    }
}
