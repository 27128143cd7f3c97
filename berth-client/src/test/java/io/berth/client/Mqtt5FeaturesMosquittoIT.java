package io.berth.client;

/** {@link Mqtt5FeatureScenarios} against Debian's mosquitto (skipped when it is not installed). */
class Mqtt5FeaturesMosquittoIT extends Mqtt5FeatureScenarios {
    @Override
    TestBroker.Kind kind() {
        return TestBroker.Kind.MOSQUITTO;
    }
}
