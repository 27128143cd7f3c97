package io.berth.bench.peer;

import java.nio.file.Path;

/**
 * A broker under test, started on 127.0.0.1 with its data in a folder of the benchmark's choosing.
 * {@link #start} on a folder that holds data restarts the broker on that data, on the same port.
 *
 * <p>Threading: used by the benchmark's main thread only.
 */
public interface Peer extends AutoCloseable {
    /** Short name for tables, e.g. {@code berth-fsync}. */
    String name();

    /** Name and version, e.g. {@code Mosquitto 2.0.11}. */
    String version();

    /** How it is configured, for the report. */
    String settings();

    /** What an acknowledgement means: from memory, from the OS page cache, or from disk. */
    String acknowledgesFrom();

    /** True when Berth (the subject; every other peer is a reference). */
    boolean isBerth();

    /** Starts on {@code dataDir} and returns once it accepts TCP connections. */
    void start(Path dataDir) throws Exception;

    int port();

    /** The data folder of the last {@link #start}. */
    Path dataDir();

    /** Process id of the broker, or -1 when it runs inside the benchmark's JVM. */
    long pid();

    /** Stops with SIGTERM (or an orderly close) and waits for the end. */
    void stop() throws Exception;

    /** Ends the process with SIGKILL and waits; a peer in this JVM cannot be killed and just closes. */
    void kill() throws Exception;

    /** The start-up time the broker itself printed (Berth's "ready in N ms"), or NaN. */
    default double selfReportedStartMillis() {
        return Double.NaN;
    }

    /** Heap used after a full GC, in bytes, or -1 when the peer is not a JVM. */
    long heapUsedAfterGc() throws Exception;

    /** Resident set size in bytes, or -1 when unknown. */
    long rss() throws Exception;

    @Override
    void close() throws Exception;
}
