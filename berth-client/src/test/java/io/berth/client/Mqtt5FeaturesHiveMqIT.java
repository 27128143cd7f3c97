package io.berth.client;

/** {@link Mqtt5FeatureScenarios} against HiveMQ CE (skipped when berth-bench-hivemq is not built). */
class Mqtt5FeaturesHiveMqIT extends Mqtt5FeatureScenarios {
    @Override
    TestBroker.Kind kind() {
        return TestBroker.Kind.HIVEMQ;
    }
}
