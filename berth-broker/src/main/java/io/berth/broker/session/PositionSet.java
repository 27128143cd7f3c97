package io.berth.broker.session;

import java.util.Arrays;

/**
 * A set of queue positions, kept sorted in a {@code long} array: no boxing and no tree nodes. Positions
 * mostly arrive in increasing order and leave from the lowest (the commits of a queue complete in the
 * order of its reservations), which costs O(1) here; others shift the shorter side. An emptied set keeps
 * a small array, so a queue that is written to does not allocate for every commit, and lets a large one
 * go; a set that never held anything has none.
 *
 * <p>Threading: owned by the session's shard.
 */
final class PositionSet {
    private static final long[] NONE = new long[0];
    /** An emptied set keeps an array up to this size. */
    private static final int KEEP = 16;

    private long[] values = NONE;
    /** The positions are {@code values[from..to)}, ascending. */
    private int from;

    private int to;

    boolean add(long seq) {
        if (from == to) {
            ensureRoom();
            values[from] = seq;
            to = from + 1;
            return true;
        }
        if (seq > values[to - 1]) {
            ensureRoom();
            values[to++] = seq;
            return true;
        }
        ensureRoom(); // first: it may move the positions
        int i = Arrays.binarySearch(values, from, to, seq);
        if (i >= 0) {
            return false;
        }
        int at = -i - 1;
        System.arraycopy(values, at, values, at + 1, to - at);
        values[at] = seq;
        to++;
        return true;
    }

    boolean remove(long seq) {
        if (from == to) {
            return false;
        }
        if (seq == values[from]) {
            from++;
        } else {
            int i = Arrays.binarySearch(values, from, to, seq);
            if (i < 0) {
                return false;
            }
            System.arraycopy(values, i + 1, values, i, to - i - 1);
            to--;
        }
        if (from == to) {
            emptied();
        }
        return true;
    }

    boolean contains(long seq) {
        return from != to && seq >= values[from] && Arrays.binarySearch(values, from, to, seq) >= 0;
    }

    boolean isEmpty() {
        return from == to;
    }

    int size() {
        return to - from;
    }

    /** Removes every position below {@code seq}. */
    void removeBelow(long seq) {
        if (from == to || seq <= values[from]) {
            return;
        }
        int i = Arrays.binarySearch(values, from, to, seq);
        from = i >= 0 ? i : -i - 1;
        if (from == to) {
            emptied();
        }
    }

    /** The lowest position; only when not empty. */
    long first() {
        assert from != to : "empty";
        return values[from];
    }

    private void emptied() {
        from = 0;
        to = 0;
        if (values.length > KEEP) {
            values = NONE;
        }
    }

    /** Makes room for one more at the end: moves the positions to the front, or grows the array. */
    private void ensureRoom() {
        if (to < values.length) {
            return;
        }
        int size = to - from;
        if (from > 0 && size < values.length / 2) {
            System.arraycopy(values, from, values, 0, size);
        } else {
            values = Arrays.copyOfRange(values, from, from + Math.max(4, values.length * 2));
        }
        from = 0;
        to = size;
    }
}
