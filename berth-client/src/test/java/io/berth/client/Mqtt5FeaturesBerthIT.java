package io.berth.client;

/** {@link Mqtt5FeatureScenarios} against Berth, embedded. */
class Mqtt5FeaturesBerthIT extends Mqtt5FeatureScenarios {
    @Override
    TestBroker.Kind kind() {
        return TestBroker.Kind.BERTH;
    }
}
