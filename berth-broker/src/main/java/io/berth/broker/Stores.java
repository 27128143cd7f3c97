package io.berth.broker;

import io.berth.broker.cluster.ClusterIdentity;
import io.berth.broker.config.BrokerConfig;
import io.berth.broker.store.CommitListener;
import io.berth.broker.store.SessionStore;
import io.berth.broker.store.memory.MemorySessionStore;
import io.berth.broker.store.rocksdb.RocksSessionStore;
import java.io.IOException;

/** Opens the store that the configured durability asks for. */
final class Stores {
    private Stores() {}

    /**
     * The store for {@code config.durability()}: RocksDB in the data folder for {@code fsync} and
     * {@code os} (telling {@code listener} of each group commit), the heap for {@code memory}.
     *
     * @throws IllegalStateException when the data folder cannot be used (held by another Berth,
     *     unreadable, corrupt, of an unknown format); the message says which and what to do
     */
    static SessionStore open(BrokerConfig config, CommitListener listener) {
        return switch (config.durability()) {
            case MEMORY -> new MemorySessionStore();
            case FSYNC -> rocks(config, true, listener);
            case OS -> rocks(config, false, listener);
        };
    }

    private static SessionStore rocks(BrokerConfig config, boolean sync, CommitListener listener) {
        ClusterIdentity.refuseClusterFolder(config.dataDir());
        try {
            return RocksSessionStore.open(config.dataDir().toAbsolutePath(), sync, listener);
        } catch (IOException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }
}
