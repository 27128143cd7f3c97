package io.berth.broker.store.rocksdb;

import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import org.rocksdb.ColumnFamilyHandle;

/**
 * The open column family handles by {@link Family}.
 *
 * <p>Threading: immutable after open; RocksDB handles may be used from any thread.
 */
final class Handles {
    private final Map<Family, ColumnFamilyHandle> handles;
    private final int[] ids = new int[Family.values().length];

    Handles(Map<Family, ColumnFamilyHandle> handles) {
        this.handles = new EnumMap<>(handles);
        for (Family f : Family.values()) {
            if (!this.handles.containsKey(f)) {
                throw new IllegalArgumentException("no handle for column family " + f.familyName());
            }
            ids[f.ordinal()] = get(f).getID();
            if (ids[f.ordinal()] == 0) {
                throw new IllegalArgumentException(f.familyName() + " is RocksDB's default column family");
            }
        }
    }

    ColumnFamilyHandle get(Family family) {
        return Objects.requireNonNull(handles.get(family), "checked by the constructor");
    }

    /** The family's id in the database, as a serialized {@code WriteBatch} names it. */
    int id(Family family) {
        return ids[family.ordinal()];
    }
}
