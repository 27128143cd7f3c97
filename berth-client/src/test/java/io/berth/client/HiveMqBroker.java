package io.berth.client;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * HiveMQ CE, embedded in a JVM of its own (it is built on Netty 4.1, this module on 4.2), started with
 * berth-bench-hivemq's launcher on 127.0.0.1 and a free port, allowing every client. The launcher and
 * its classpath come from the berth-bench-hivemq module's build directory.
 */
final class HiveMqBroker implements AutoCloseable {
    private static final Path MODULE = Path.of("..", "berth-bench-hivemq", "target");

    private final Process process;
    private final int port;

    private HiveMqBroker(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** True when berth-bench-hivemq has been built (it is, by {@code mvn verify} from the root). */
    static boolean isBuilt() {
        return Files.isRegularFile(MODULE.resolve("hivemq-classpath.txt"))
                && Files.isDirectory(MODULE.resolve("classes"));
    }

    static HiveMqBroker start(Path dir) throws IOException, InterruptedException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        return start(dir, port, null);
    }

    /**
     * Starts HiveMQ CE with {@code config} as its config.xml (null: one TCP listener on {@code port});
     * {@code port} names the home directory and the ready line.
     */
    static HiveMqBroker start(Path dir, int port, Path config) throws IOException, InterruptedException {
        String classpath = MODULE.resolve("classes").toAbsolutePath()
                + java.io.File.pathSeparator
                + Files.readString(MODULE.resolve("hivemq-classpath.txt")).trim();
        Path home = Files.createDirectories(dir.resolve("hivemq-" + port));
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-XX:TieredStopAtLevel=1", // starts faster; these tests measure nothing
                "-XX:+UseSerialGC",
                "-cp",
                classpath,
                "io.berth.bench.hivemq.HiveMqMain",
                home.toString(),
                Integer.toString(port)));
        if (config != null) {
            command.add(config.toString());
        }
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        CompletableFuture<Boolean> ready = new CompletableFuture<>();
        Thread reader = new Thread(
                () -> {
                    try (BufferedReader r =
                            new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                        for (String line = r.readLine(); line != null; line = r.readLine()) {
                            if (line.startsWith("HiveMQ listening on ")) {
                                ready.complete(true);
                            }
                        }
                    } catch (IOException e) {
                        // the process ended
                    }
                    ready.complete(false);
                },
                "hivemq-output");
        reader.setDaemon(true);
        reader.start();
        HiveMqBroker broker = new HiveMqBroker(p, port);
        boolean started;
        try {
            started = ready.get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            started = false;
        }
        if (!started) {
            broker.close();
            throw new IOException("HiveMQ CE did not start on port " + port);
        }
        return broker;
    }

    int port() {
        return port;
    }

    /** Kills the broker: its data lives in a temporary directory, nothing is worth a clean stop. */
    @Override
    public void close() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }
}
