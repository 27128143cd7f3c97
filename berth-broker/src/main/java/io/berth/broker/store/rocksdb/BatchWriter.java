package io.berth.broker.store.rocksdb;

import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/** Writes one batch; the seam where tests inject failed writes. */
@FunctionalInterface
interface BatchWriter {
  void write(WriteOptions options, WriteBatch batch) throws RocksDBException;
}
