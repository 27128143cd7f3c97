package io.berth.broker;

import io.berth.broker.config.BrokerConfig;
import io.berth.broker.store.SessionStore;
import io.berth.broker.store.memory.MemorySessionStore;

/** Opens the store that the configured durability asks for. */
final class Stores {
  private Stores() {}

  static SessionStore open(BrokerConfig config) {
    return switch (config.durability()) {
      case MEMORY -> new MemorySessionStore();
      case FSYNC, OS -> throw new IllegalArgumentException(
          "durability '" + config.durability().optionName() + "' needs the durable store, which this "
              + "version of Berth does not have yet; use --durability memory");
    };
  }
}
