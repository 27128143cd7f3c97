package io.berth.client;

import io.berth.client.store.FileDurability;

/**
 * {@link KilledClientProcessScenarios} against Berth, embedded, with the publisher's store in
 * {@link FileDurability#OS} mode: written to the operating system is enough to survive SIGKILL.
 */
class KilledClientProcessBerthIT extends KilledClientProcessScenarios {
    @Override
    TestBroker.Kind kind() {
        return TestBroker.Kind.BERTH;
    }

    @Override
    FileDurability durability() {
        return FileDurability.OS;
    }
}
