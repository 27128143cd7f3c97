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

    Handles(Map<Family, ColumnFamilyHandle> handles) {
        this.handles = new EnumMap<>(handles);
        for (Family f : Family.values()) {
            if (!this.handles.containsKey(f)) {
                throw new IllegalArgumentException("no handle for column family " + f.familyName());
            }
        }
    }

    ColumnFamilyHandle get(Family family) {
        return Objects.requireNonNull(handles.get(family), "checked by the constructor");
    }
}
