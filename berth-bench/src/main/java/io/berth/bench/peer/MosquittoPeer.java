package io.berth.bench.peer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Mosquitto from Debian's package, with a generated configuration: one listener on 127.0.0.1,
 * persistence on (it saves its in-memory database to disk every {@link #AUTOSAVE_SECONDS} and at a clean
 * stop), queues unlimited so it is never measured dropping messages, the same outbound in-flight window
 * as Berth.
 */
public final class MosquittoPeer extends ProcessPeer {
    /** Mosquitto's default autosave interval, kept: what users run. */
    static final int AUTOSAVE_SECONDS = 1800;

    static final int MAX_INFLIGHT = 64;

    private final Path binary;

    public MosquittoPeer(Path binary) {
        if (!Files.isExecutable(binary)) {
            throw new IllegalArgumentException("no mosquitto at " + binary + "; apt-get install -y mosquitto");
        }
        this.binary = binary;
    }

    @Override
    public String name() {
        return "mosquitto";
    }

    @Override
    public String version() {
        try {
            Process p = new ProcessBuilder(binary.toString(), "-h")
                    .redirectErrorStream(true)
                    .start();
            String first = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
                    .lines()
                    .findFirst()
                    .orElse("");
            p.waitFor();
            return first.replace("mosquitto version", "Mosquitto").trim();
        } catch (IOException | InterruptedException e) {
            return "Mosquitto";
        }
    }

    @Override
    public String settings() {
        return "persistence true, autosave_interval " + AUTOSAVE_SECONDS + " (its default), "
                + "max_queued_messages 0 and max_queued_bytes 0 (unlimited), max_inflight_messages " + MAX_INFLIGHT
                + ", set_tcp_nodelay true, allow_anonymous true";
    }

    @Override
    public String acknowledgesFrom() {
        return "memory; the whole database is written to disk every " + AUTOSAVE_SECONDS
                + " s and at a clean stop (a crash loses what came since)";
    }

    @Override
    public boolean isBerth() {
        return false;
    }

    @Override
    protected List<String> command(Path dataDir, int port) throws IOException {
        Path conf = dataDir.resolve("mosquitto.conf");
        Files.writeString(
                conf,
                String.join(
                        "\n",
                        "listener " + port + " 127.0.0.1",
                        "allow_anonymous true",
                        "persistence true",
                        "persistence_location " + dataDir + "/",
                        "autosave_interval " + AUTOSAVE_SECONDS,
                        "max_queued_messages 0",
                        "max_queued_bytes 0",
                        "max_inflight_messages " + MAX_INFLIGHT,
                        "set_tcp_nodelay true",
                        "user root",
                        "log_dest stderr",
                        "log_type error",
                        "log_type warning",
                        "log_type notice",
                        "log_type information",
                        ""));
        return List.of(binary.toString(), "-c", conf.toString());
    }

    @Override
    protected Pattern readyLine() {
        return Pattern.compile("mosquitto version .* running");
    }
}
