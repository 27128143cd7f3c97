package io.berth.broker;

import io.berth.broker.config.BrokerConfig;
import io.berth.broker.store.memory.MemorySessionStore;
import java.util.function.Consumer;

/** Starts an in-JVM broker on an ephemeral port for a test; can restart it on the same store. */
final class TestBroker implements AutoCloseable {
  private final Consumer<BrokerConfig.Builder> settings;
  private final MemorySessionStore store = new MemorySessionStore();
  private Berth berth;

  TestBroker() {
    this(b -> {});
  }

  TestBroker(Consumer<BrokerConfig.Builder> settings) {
    this.settings = settings;
    start();
  }

  private void start() {
    berth = Berth.builder().port(0).configure(settings).store(store).build().start();
  }

  int port() {
    return berth.port();
  }

  /** The running broker (its admin facade, metrics, admin port). */
  Berth berth() {
    return berth;
  }

  /** Stops and starts the broker on the same store (a clean restart). */
  void restart() {
    berth.close();
    start();
  }

  @Override
  public void close() {
    berth.close();
  }
}
