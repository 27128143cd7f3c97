package io.berth.client;

import io.berth.broker.Berth;
import java.nio.file.Path;

/** A broker for the end-to-end tests: Berth embedded in the test JVM, or Debian's mosquitto. */
interface TestBroker extends AutoCloseable {
  int port();

  @Override
  void close() throws Exception;

  /** Which broker. */
  enum Kind {
    BERTH,
    MOSQUITTO;

    /** True when this broker can run here (mosquitto may be missing). */
    boolean available() {
      return this == BERTH || MosquittoBroker.isInstalled();
    }

    TestBroker start(Path dir) throws Exception {
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
      Berth berth = Berth.builder().port(0).dataDir(dir.resolve("berth-data")).build().start();
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
