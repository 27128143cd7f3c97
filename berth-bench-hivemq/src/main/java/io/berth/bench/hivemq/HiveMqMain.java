package io.berth.bench.hivemq;

import com.hivemq.embedded.EmbeddedExtension;
import com.hivemq.embedded.EmbeddedHiveMQ;
import com.hivemq.extension.sdk.api.ExtensionMain;
import com.hivemq.extension.sdk.api.auth.SimpleAuthenticator;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartOutput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopOutput;
import com.hivemq.extension.sdk.api.services.Services;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.CountDownLatch;

/**
 * Runs HiveMQ CE embedded, as a benchmark peer: {@code HiveMqMain HOME PORT [CONFIG]}. Writes {@code HOME/conf/config.xml}
 * (one TCP listener on 127.0.0.1:PORT, file persistence, queues raised so nothing is dropped, the
 * 5.0 inbound window as Berth's, no usage statistics), keeps data under {@code HOME/data}, allows every client (what HiveMQ's allow-all extension
 * does), prints {@code HiveMQ listening on 127.0.0.1:PORT} when ready and stops cleanly on SIGTERM. With
 * {@code CONFIG}, that file is the configuration instead (for tests that need TLS or WebSocket listeners).
 */
public final class HiveMqMain {
    /** Queued messages per client: high enough that a benchmark never meets the limit. */
    static final long MAX_QUEUE_SIZE = 100_000_000L;

    /** Inbound QoS 1/2 window a 5.0 client may use: Berth's default, instead of HiveMQ's 10. */
    static final int SERVER_RECEIVE_MAXIMUM = 1024;

    private HiveMqMain() {}

    public static void main(String[] args) throws Exception {
        Path home = Path.of(args[0]);
        int port = Integer.parseInt(args[1]);
        Path conf = Files.createDirectories(home.resolve("conf"));
        Path data = Files.createDirectories(home.resolve("data"));
        Path extensions = Files.createDirectories(home.resolve("extensions"));
        if (args.length > 2) {
            Files.copy(Path.of(args[2]), conf.resolve("config.xml"), StandardCopyOption.REPLACE_EXISTING);
        } else {
            Files.writeString(conf.resolve("config.xml"), config(port));
        }
        EmbeddedExtension allowAll = EmbeddedExtension.builder()
                .withId("bench-allow-all")
                .withName("allow all clients (benchmark)")
                .withVersion("1")
                .withPriority(0)
                .withStartPriority(1000)
                .withAuthor("berth-bench")
                .withExtensionMain(new AllowAll())
                .build();
        EmbeddedHiveMQ hivemq = EmbeddedHiveMQ.builder()
                .withConfigurationFolder(conf)
                .withDataFolder(data)
                .withExtensionsFolder(extensions)
                .withEmbeddedExtension(allowAll)
                .build();
        hivemq.start().join();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            hivemq.stop().join();
                            stopped.countDown();
                        },
                        "hivemq-shutdown"));
        System.out.println("HiveMQ listening on 127.0.0.1:" + port);
        System.out.flush();
        stopped.await();
    }

    static String config(int port) {
        return """
        <?xml version="1.0"?>
        <hivemq>
          <listeners>
            <tcp-listener>
              <port>%d</port>
              <bind-address>127.0.0.1</bind-address>
            </tcp-listener>
          </listeners>
          <mqtt>
            <queued-messages>
              <max-queue-size>%d</max-queue-size>
              <strategy>discard</strategy>
            </queued-messages>
            <receive-maximum>
              <server-receive-maximum>%d</server-receive-maximum>
            </receive-maximum>
          </mqtt>
          <persistence>
            <mode>file</mode>
          </persistence>
          <anonymous-usage-statistics>
            <enabled>false</enabled>
          </anonymous-usage-statistics>
        </hivemq>
        """.formatted(port, MAX_QUEUE_SIZE, SERVER_RECEIVE_MAXIMUM);
    }

    /** Lets every client connect, publish and subscribe. */
    private static final class AllowAll implements ExtensionMain {
        @Override
        public void extensionStart(ExtensionStartInput input, ExtensionStartOutput output) {
            Services.securityRegistry().setAuthenticatorProvider(providerInput ->
                    (SimpleAuthenticator) (in, out) -> out.authenticateSuccessfully());
        }

        @Override
        public void extensionStop(ExtensionStopInput input, ExtensionStopOutput output) {}
    }
}
