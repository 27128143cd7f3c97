package io.berth.client;

import java.nio.file.Path;

/** {@link TransportScenarios} against Debian's mosquitto (skipped when it is not installed). */
class TransportsMosquittoIT extends TransportScenarios {
    @Override
    TransportBroker start(Path dir, TestCertificates.Issued ca, TestCertificates.Issued server) throws Exception {
        return TransportBroker.mosquitto(dir, ca, server);
    }

    @Override
    boolean available() {
        return MosquittoBroker.isInstalled();
    }
}
