package io.berth.client;

/** {@link Qos2HandshakeCutScenarios} against Berth, embedded. */
class Qos2HandshakeCutBerthIT extends Qos2HandshakeCutScenarios {
  @Override
  TestBroker.Kind kind() {
    return TestBroker.Kind.BERTH;
  }
}
