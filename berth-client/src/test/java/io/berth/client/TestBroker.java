package io.berth.client;

import io.berth.broker.Berth;
import java.nio.file.Path;

/**
 * A broker for the end-to-end tests: Berth embedded in the test JVM, Debian's mosquitto, or HiveMQ CE in a
 * JVM of its own.
 */
interface TestBroker extends AutoCloseable {
    int port();

    @Override
    void close() throws Exception;

    /** Which broker. */
    enum Kind {
        BERTH,
        MOSQUITTO,
        HIVEMQ;

        /** True when this broker can run here (mosquitto may be missing, HiveMQ CE not built). */
        boolean available() {
            return switch (this) {
                case BERTH -> true;
                case MOSQUITTO -> MosquittoBroker.isInstalled();
                case HIVEMQ -> HiveMqBroker.isBuilt();
            };
        }

        TestBroker start(Path dir) throws Exception {
            if (this == HIVEMQ) {
                HiveMqBroker h = HiveMqBroker.start(dir);
                return new TestBroker() {
                    @Override
                    public int port() {
                        return h.port();
                    }

                    @Override
                    public void close() throws Exception {
                        h.close();
                    }
                };
            }
            if (this == MOSQUITTO) {
                MosquittoBroker m = MosquittoBroker.start(dir);
                return new TestBroker() {
                    @Override
                    public int port() {
                        return m.port();
                    }

                    @Override
                    public void close() throws Exception {
                        m.close();
                    }
                };
            }
            Berth berth = Berth.builder()
                    .port(0)
                    .dataDir(dir.resolve("berth-data"))
                    .build()
                    .start();
            return new TestBroker() {
                @Override
                public int port() {
                    return berth.port();
                }

                @Override
                public void close() {
                    berth.close();
                }
            };
        }
    }
}
