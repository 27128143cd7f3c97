package io.berth.client;

/** {@link KilledClientProcessScenarios} against Debian's mosquitto. */
class KilledClientProcessMosquittoIT extends KilledClientProcessScenarios {
  @Override
  TestBroker.Kind kind() {
    return TestBroker.Kind.MOSQUITTO;
  }
}
