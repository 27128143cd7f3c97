package io.berth.broker;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A broker in a JVM of its own (the test's class path, {@code -Xmx256m}, the C1 compiler only and the
 * serial collector, RocksDB's native library kept in {@code target/native}), started with {@code serve}
 * and the given arguments, for tests that end it with SIGKILL.
 *
 * <p>Threading: {@link #start} runs on the test thread; a daemon thread reads the process's output.
 */
final class BrokerProcess {
    private static final int KEPT_LINES = 200;
    /** Where the brokers keep RocksDB's native library (see NativeLibrary): one copy for every start. */
    private static final Path NATIVE_DIR = Path.of("target", "native").toAbsolutePath();

    private BrokerProcess() {}

    /**
     * Starts the broker and returns once it says it is listening.
     *
     * @throws IllegalStateException with its first output lines when it does not within {@code timeout}
     */
    static Process start(String name, Duration timeout, String... serveArgs) throws IOException, InterruptedException {
        return start(name, timeout, line -> {}, serveArgs);
    }

    /** As {@link #start(String, Duration, String...)}, handing every line the broker writes to {@code each}. */
    static Process start(String name, Duration timeout, Consumer<String> each, String... serveArgs)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "-Xmx256m",
                // a broker that lives a few seconds starts in half the time without C2 and G1 (measured on
                // two busy cores: 2.8 s to "Berth listening" by default, 1.3 s so); what is checked (what
                // a SIGKILL leaves on disk) does not depend on the compiler or the collector
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                // RocksDB's library unpacked once here, not into a temporary file that a SIGKILL leaves behind
                "-Dberth.native.dir=" + NATIVE_DIR,
                "-Djava.library.path=" + NATIVE_DIR,
                "io.berth.broker.cli.Main",
                "serve"));
        command.addAll(List.of(serveArgs));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        CountDownLatch ready = new CountDownLatch(1);
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        Thread reader = new Thread(
                () -> {
                    try {
                        for (String line; (line = out.readLine()) != null; ) {
                            if (lines.size() < KEPT_LINES) {
                                lines.add(line);
                            }
                            each.accept(line);
                            if (line.startsWith("Berth listening")) {
                                ready.countDown();
                            }
                        }
                    } catch (IOException ignored) {
                        // the process was killed
                    }
                },
                name + "-output");
        reader.setDaemon(true);
        reader.start();
        if (!ready.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            String threads = threadDump(p);
            p.destroyForcibly();
            throw new IllegalStateException(name + " did not start within " + timeout + ": " + lines + "\n" + threads);
        }
        return p;
    }

    /** What the process's threads are doing, from {@code jstack} (a slow start and a hang look alike). */
    private static String threadDump(Process p) throws IOException, InterruptedException {
        Path jstack = Path.of(System.getProperty("java.home"), "bin", "jstack");
        if (!Files.isExecutable(jstack)) {
            return "(no jstack in " + jstack.getParent() + ")";
        }
        Process dump = new ProcessBuilder(jstack.toString(), Long.toString(p.pid()))
                .redirectErrorStream(true)
                .start();
        byte[] out = dump.getInputStream().readAllBytes();
        dump.waitFor(20, TimeUnit.SECONDS);
        return new String(out, StandardCharsets.UTF_8);
    }
}
