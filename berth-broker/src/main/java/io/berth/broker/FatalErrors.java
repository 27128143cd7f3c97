package io.berth.broker;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens when an error escapes a broker thread (a shard's task, the store's committer): the
 * broker stops the whole process with a log line and exit status {@value #EXIT_STATUS}, so that a
 * supervisor restarts it. Going on would leave a process that looks alive while the sessions of a dead
 * shard hang forever. Stopping at once loses nothing acknowledged: every acknowledgement follows a
 * commit, exactly as after {@code kill -9}.
 *
 * <p>Threading: stateless.
 */
public final class FatalErrors {
    private static final Logger LOG = LoggerFactory.getLogger(FatalErrors.class);

    /** The exit status after a fatal error (EX_SOFTWARE of sysexits.h). */
    public static final int EXIT_STATUS = 70;

    /** Logs the error and halts the JVM; shutdown hooks are not run (they could wait on the dead thread). */
    public static final Thread.UncaughtExceptionHandler HALT = (thread, error) -> {
        try {
            LOG.error(
                    "fatal: {} escaped thread '{}'; stopping the broker process (exit status {}) for a"
                            + " supervisor to restart it",
                    error.toString(),
                    thread.getName(),
                    EXIT_STATUS,
                    error);
            System.err.flush();
        } finally {
            Runtime.getRuntime().halt(EXIT_STATUS);
        }
    };

    private FatalErrors() {}
}
