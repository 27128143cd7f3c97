package io.berth.broker.store.rocksdb;

import org.rocksdb.RocksDBException;

/** Syncs the WAL written so far to disk ({@code RocksDB.syncWal()}); the seam where tests inject failures. */
@FunctionalInterface
interface WalSync {
    void sync() throws RocksDBException;
}
