package io.berth.broker.store.rocksdb;

import org.rocksdb.WriteBatch;

/**
 * The serialized form of a RocksDB {@link WriteBatch}, built in Java so that a whole group commit
 * crosses into native code once ({@code new WriteBatch(byte[])}) instead of once per put or delete.
 *
 * <p>The format is RocksDB's own ({@code db/write_batch.cc}, stable since its first release, as
 * {@code WriteBatch.data()} returns it): a 12-byte header, the sequence number as fixed64 and the record
 * count as fixed32, both little-endian (the database assigns the sequence at write, so it is 0 here),
 * then one record per op. A record is a tag byte, the column family id as a varint32 (none of Berth's
 * families is RocksDB's default family, id 0, whose records have tags of their own), then the key and,
 * for a put, the value, or for a range delete the end key, each as a varint32 length and the bytes. {@code BatchRepTest} checks the
 * encoding byte for byte against the batch RocksDB builds from the same calls.
 *
 * <p>Threading: confined to the committer thread, which reuses it from batch to batch ({@link #reset}).
 */
final class BatchRep {
    private static final byte[] ZERO_HEADER = new byte[12];
    /** The encoding buffer is reused from batch to batch up to this size. */
    private static final int KEEP_BYTES = 256 * 1024;

    private static final int CF_DELETE = 0x4;
    private static final int CF_PUT = 0x5;
    private static final int CF_RANGE_DELETE = 0xE;

    private final Handles handles;
    private final ByteWriter out = new ByteWriter(4096);
    private int count;

    BatchRep(Handles handles) {
        this.handles = handles;
        out.raw(ZERO_HEADER);
    }

    /** Empties the batch for the next group commit, reusing its buffer. */
    void reset() {
        out.reset(KEEP_BYTES);
        out.raw(ZERO_HEADER);
        count = 0;
    }

    void put(Family family, byte[] key, byte[] value) {
        record(family, CF_PUT);
        out.bytes(key).bytes(value);
    }

    void delete(Family family, byte[] key) {
        record(family, CF_DELETE);
        out.bytes(key);
    }

    void deleteRange(Family family, byte[] begin, byte[] end) {
        record(family, CF_RANGE_DELETE);
        out.bytes(begin).bytes(end);
    }

    private void record(Family family, int tag) {
        out.u8(tag).varint(handles.id(family));
        count++;
    }

    /** Records written so far. */
    int count() {
        return count;
    }

    /** The batch as RocksDB reads it; the caller closes it. */
    WriteBatch toWriteBatch() {
        return new WriteBatch(serialize());
    }

    /** The serialized batch: header and records. */
    byte[] serialize() {
        byte[] rep = out.toByteArray();
        for (int i = 0; i < 4; i++) {
            rep[8 + i] = (byte) (count >>> (8 * i));
        }
        return rep;
    }
}
