package io.berth.client;

import java.nio.file.Path;

/** {@link TransportScenarios} against HiveMQ CE (skipped when berth-bench-hivemq is not built). */
class TransportsHiveMqIT extends TransportScenarios {
    @Override
    TransportBroker start(Path dir, TestCertificates.Issued ca, TestCertificates.Issued server) throws Exception {
        return TransportBroker.hivemq(dir, ca, server);
    }

    @Override
    boolean available() {
        return HiveMqBroker.isBuilt();
    }
}
