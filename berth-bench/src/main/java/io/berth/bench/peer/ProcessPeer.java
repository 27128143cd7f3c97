package io.berth.bench.peer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A peer that runs as a child process: started with a command, ready when a line of its output matches
 * {@link #readyLine()}; output goes to {@code broker.log} beside its data folder. The port is chosen once
 * and kept across restarts.
 *
 * <p>Threading: the benchmark's main thread; one daemon thread per start copies the output.
 */
abstract class ProcessPeer implements Peer {
    private static final long READY_TIMEOUT_SECONDS = 120;

    private @Nullable Process process;
    private volatile String readyText = "";
    private int starts;
    private @Nullable Path dataDir;
    private int port = -1;

    /** Makes the next start use {@code chosen} instead of a free port of its own choosing. */
    protected void usePort(int chosen) {
        port = chosen;
    }

    /** The command that starts the broker on {@code dataDir} and {@code port}. */
    protected abstract List<String> command(Path dataDir, int port) throws IOException;

    /** A line of the broker's output that says it accepts connections. */
    protected abstract Pattern readyLine();

    /** Adds to or changes the environment of the broker's process; nothing by default. */
    protected void environment(java.util.Map<String, String> env) {}

    @Override
    public void start(Path dataDir) throws Exception {
        this.dataDir = dataDir;
        starts++;
        if (port < 0) {
            port = freePort();
        }
        Files.createDirectories(dataDir);
        Path log = dataDir.resolveSibling(dataDir.getFileName() + "-broker.log");
        ProcessBuilder pb = new ProcessBuilder(command(dataDir, port)).redirectErrorStream(true);
        environment(pb.environment());
        Process p = pb.start();
        process = p;
        CompletableFuture<Void> ready = new CompletableFuture<>();
        Pattern pattern = readyLine();
        Thread copier = new Thread(() -> copy(p, log, pattern, ready, line -> readyText = line), name() + "-output");
        copier.setDaemon(true);
        copier.start();
        try {
            ready.get(READY_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            p.destroyForcibly().waitFor();
            throw new IllegalStateException(name() + " did not start; see " + log, e);
        }
    }

    private static void copy(
            Process p,
            Path log,
            Pattern ready,
            CompletableFuture<Void> readyFuture,
            java.util.function.Consumer<String> readyLine) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                PrintWriter out = new PrintWriter(
                        Files.newBufferedWriter(
                                log, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND),
                        true)) {
            String line;
            while ((line = in.readLine()) != null) {
                out.println(line);
                Matcher m = ready.matcher(line);
                if (m.find() && !readyFuture.isDone()) {
                    readyLine.accept(line);
                    readyFuture.complete(null);
                }
            }
            readyFuture.completeExceptionally(new IllegalStateException("exited with " + p.waitFor()));
        } catch (IOException | InterruptedException e) {
            readyFuture.completeExceptionally(e);
        }
    }

    @Override
    public Path dataDir() {
        if (dataDir == null) {
            throw new IllegalStateException(name() + " was not started");
        }
        return dataDir;
    }

    /** The output line that said the broker was ready, of the last start. */
    protected String readyText() {
        return readyText;
    }

    /** How many times this peer was started (numbers per-start files, e.g. profiles). */
    protected int starts() {
        return starts;
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public long pid() {
        Process p = process;
        return p == null ? -1 : p.pid();
    }

    @Override
    public void stop() throws Exception {
        Process p = process;
        if (p != null && p.isAlive()) {
            p.destroy();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
            }
        }
        process = null;
    }

    @Override
    public void kill() throws Exception {
        Process p = process;
        if (p != null && p.isAlive()) {
            p.destroyForcibly().waitFor();
        }
        process = null;
    }

    @Override
    public long rss() throws IOException {
        return Probes.rss(pid());
    }

    @Override
    public long heapUsedAfterGc() throws Exception {
        return -1;
    }

    @Override
    public void close() throws Exception {
        stop();
    }

    /** A TCP port on 127.0.0.1 that was free a moment ago. */
    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        }
    }
}
