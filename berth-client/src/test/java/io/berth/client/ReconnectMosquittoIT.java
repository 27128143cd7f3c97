package io.berth.client;

/** {@link ReconnectScenarios} against Debian's mosquitto. */
class ReconnectMosquittoIT extends ReconnectScenarios {
  @Override
  TestBroker.Kind kind() {
    return TestBroker.Kind.MOSQUITTO;
  }
}
