package io.berth.client.store;

/**
 * When {@link ClientSessionStore#file(java.nio.file.Path, FileDurability) the file store} reports a change
 * durable, and so when {@link io.berth.client.PublishFuture#stored()} completes.
 */
public enum FileDurability {
    /**
     * Forced to disk ({@code fsync}, in a group commit): survives a crash of the process and, as far as the
     * disk honours {@code fsync}, a power loss or a crash of the machine. The default.
     */
    FSYNC,
    /**
     * Written to the operating system, not forced: survives a crash of the process (SIGKILL included),
     * not a power loss or a crash of the machine. Faster where a flush is slow, as on virtual disks.
     */
    OS
}
