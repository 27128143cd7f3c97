package io.berth.client;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code mosquitto} on 127.0.0.1 and a free ephemeral port, as an independent broker for the
 * client's end-to-end tests. Anonymous access unless told otherwise, a large offline queue, no persistence.
 */
final class MosquittoBroker implements AutoCloseable {
    private final Process process;
    private final int port;

    private MosquittoBroker(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static boolean isInstalled() {
        return Files.isExecutable(Path.of("/usr/sbin/mosquitto"));
    }

    static MosquittoBroker start(Path dir) throws IOException, InterruptedException {
        return start(dir, List.of("allow_anonymous true"));
    }

    /** Starts with {@code authLines} (e.g. {@code password_file}) in place of anonymous access. */
    static MosquittoBroker start(Path dir, List<String> authLines) throws IOException, InterruptedException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path conf = dir.resolve("mosquitto-" + port + ".conf");
        Files.writeString(
                conf,
                String.join(
                        "\n",
                        "listener " + port + " 127.0.0.1",
                        String.join("\n", authLines),
                        "persistence false",
                        "max_queued_messages 100000",
                        "max_inflight_messages 20",
                        "log_dest stderr",
                        "log_type error",
                        ""));
        Process p = new ProcessBuilder("/usr/sbin/mosquitto", "-c", conf.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("mosquitto-" + port + ".log").toFile())
                .start();
        MosquittoBroker broker = new MosquittoBroker(p, port);
        try {
            await().atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> !p.isAlive() || canConnect(port));
        } catch (RuntimeException e) {
            broker.close();
            throw new IOException("mosquitto did not start on port " + port, e);
        }
        if (!p.isAlive()) {
            throw new IOException("mosquitto exited at start; see " + dir);
        }
        return broker;
    }

    private static boolean canConnect(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }

    int port() {
        return port;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
