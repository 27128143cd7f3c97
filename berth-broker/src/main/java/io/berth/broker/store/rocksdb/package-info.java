/**
 * The durable {@link io.berth.broker.store.SessionStore} on RocksDB: {@link
 * io.berth.broker.store.rocksdb.RocksSessionStore}. Layout and bytes: {@code docs/storage-format.md};
 * decisions: {@code docs/adr/}.
 *
 * <p>Threading: one committer thread per store owns every write (the write batch, the counters and
 * reference-count state); reads run on the calling thread directly on the database.
 */
@NullMarked
package io.berth.broker.store.rocksdb;

import org.jspecify.annotations.NullMarked;
