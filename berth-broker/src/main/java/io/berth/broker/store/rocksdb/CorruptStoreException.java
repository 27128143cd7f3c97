package io.berth.broker.store.rocksdb;

/**
 * A store that cannot be read: a value that does not decode, a format version this Berth does not know,
 * a database that RocksDB reports as corrupt. The message says which folder or file, and what to do.
 */
public final class CorruptStoreException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  public CorruptStoreException(String message, Throwable cause) {
    super(message, cause);
  }

  public CorruptStoreException(String message) {
    super(message);
  }
}
