package io.berth.client.internal;

import io.berth.client.store.ClientSessionStore;

class MemoryClientSessionStoreTest extends ClientSessionStoreContract {
  @Override
  ClientSessionStore newStore() {
    return new MemoryClientSessionStore();
  }

  @Override
  ClientSessionStore reopen(ClientSessionStore store) {
    return store;
  }
}
