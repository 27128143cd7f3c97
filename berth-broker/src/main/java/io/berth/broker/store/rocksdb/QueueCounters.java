package io.berth.broker.store.rocksdb;

/**
 * The per-client counter row, kept so that start-up reads one small row per session instead of its
 * queue. {@code headHint} is the queue's authoritative head: every entry below it is gone, whether or
 * not its row has been reclaimed yet (see {@link QueueState}); it is at most the lowest present seq
 * (recovery seeks from it to the first row). {@code tail} is one past the highest sequence number ever
 * queued, {@code count} and {@code bytes} describe the entries present.
 *
 * <pre>counters value: u8 1 | u64 head hint | u64 tail | u64 count | u64 bytes</pre>
 *
 * <p>Threading: instances are owned by the committer thread; recovery decodes its own copies.
 */
final class QueueCounters {
    long headHint;
    long tail;
    long count;
    long bytes;

    QueueCounters copy() {
        QueueCounters c = new QueueCounters();
        c.headHint = headHint;
        c.tail = tail;
        c.count = count;
        c.bytes = bytes;
        return c;
    }

    boolean isZero() {
        return headHint == 0 && tail == 0 && count == 0 && bytes == 0;
    }

    byte[] encode() {
        return new ByteWriter(33)
                .u8(Values.LAYOUT)
                .u64(headHint)
                .u64(tail)
                .u64(count)
                .u64(bytes)
                .toByteArray();
    }

    static QueueCounters decode(byte[] v) {
        ByteReader r = new ByteReader(v);
        int layout = r.u8();
        if (layout != Values.LAYOUT) {
            throw new IllegalArgumentException("unknown value layout " + layout);
        }
        QueueCounters c = new QueueCounters();
        c.headHint = r.u64();
        c.tail = r.u64();
        c.count = r.u64();
        c.bytes = r.u64();
        r.end();
        if (c.count < 0 || c.bytes < 0 || c.headHint > c.tail) {
            throw new IllegalArgumentException("inconsistent counters");
        }
        return c;
    }
}
