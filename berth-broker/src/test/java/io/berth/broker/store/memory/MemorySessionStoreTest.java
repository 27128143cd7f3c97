package io.berth.broker.store.memory;

import io.berth.broker.store.SessionStore;
import io.berth.broker.store.SessionStoreContract;
import java.nio.file.Path;

class MemorySessionStoreTest extends SessionStoreContract {
  @Override
  protected SessionStore open(Path dir) {
    return new MemorySessionStore();
  }
}
