package io.berth.client;

/** {@link KilledClientProcessScenarios} against Berth, embedded. */
class KilledClientProcessBerthIT extends KilledClientProcessScenarios {
  @Override
  TestBroker.Kind kind() {
    return TestBroker.Kind.BERTH;
  }
}
