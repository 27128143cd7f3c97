package io.berth.broker.auth;

import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches files (certificates, keys, the password and ACL files) and calls a reload action when one of
 * them changes (modification time, size or file key). Polling instead of a WatchService: it also sees
 * files replaced through symbolic links, as Kubernetes secrets and certificate renewers do. A failed
 * reload (a syntax error, a deleted file) is logged at ERROR and counted (the failure callback, which
 * feeds {@code berth_reload_failures_total}); the previous contents stay in force until the next change
 * that can be read.
 *
 * <p>Threading: one daemon thread checks every watch; {@link #watch} may be called from any thread.
 */
public final class FileReloader implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FileReloader.class);

    /** Reads the files again; throws when they cannot be used. */
    @FunctionalInterface
    public interface Reload {
        void run() throws Exception;
    }

    private final ScheduledExecutorService timer;
    private final long checkMillis;
    private final Consumer<String> failed;

    /** @param failed told the name of what could not be reloaded */
    public FileReloader(long checkMillis, Consumer<String> failed) {
        this.timer = Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory("berth-reload", true));
        this.checkMillis = checkMillis;
        this.failed = failed;
    }

    /** Checks {@code files} every interval and runs {@code reload} after a change. */
    public void watch(String what, List<Path> files, Reload reload) {
        Watch w = new Watch(what, List.copyOf(files), reload, stamps(files));
        timer.scheduleWithFixedDelay(w::check, checkMillis, checkMillis, TimeUnit.MILLISECONDS);
    }

    private static List<Object> stamps(List<Path> files) {
        List<Object> out = new ArrayList<>();
        for (Path f : files) {
            try {
                BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
                out.add(List.of(a.lastModifiedTime(), a.size(), Objects.toString(a.fileKey())));
            } catch (IOException e) {
                out.add("missing");
            }
        }
        return out;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }

    /** Threading: runs on the reloader's thread only. */
    private final class Watch {
        final String what;
        final List<Path> files;
        final Reload reload;
        List<Object> seen;

        Watch(String what, List<Path> files, Reload reload, List<Object> seen) {
            this.what = what;
            this.files = files;
            this.reload = reload;
            this.seen = seen;
        }

        void check() {
            List<Object> now = stamps(files);
            if (now.equals(seen)) {
                return;
            }
            seen = now;
            try {
                reload.run();
                LOG.info("reloaded {} from {}", what, files);
            } catch (Exception e) {
                LOG.error("{} not reloaded, the previous one stays in force until it is fixed: {}", what, e.toString());
                failed.accept(what);
            }
        }
    }
}
