package io.berth.client;

/** {@link Qos2HandshakeCutScenarios} against Debian's mosquitto. */
class Qos2HandshakeCutMosquittoIT extends Qos2HandshakeCutScenarios {
  @Override
  TestBroker.Kind kind() {
    return TestBroker.Kind.MOSQUITTO;
  }
}
