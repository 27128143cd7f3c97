package io.berth.client;

/** {@link ReconnectScenarios} against Berth, embedded. */
class ReconnectBerthIT extends ReconnectScenarios {
  @Override
  TestBroker.Kind kind() {
    return TestBroker.Kind.BERTH;
  }
}
