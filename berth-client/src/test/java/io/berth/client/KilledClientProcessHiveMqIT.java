package io.berth.client;

/** {@link KilledClientProcessScenarios} against HiveMQ CE. */
class KilledClientProcessHiveMqIT extends KilledClientProcessScenarios {
    @Override
    TestBroker.Kind kind() {
        return TestBroker.Kind.HIVEMQ;
    }
}
