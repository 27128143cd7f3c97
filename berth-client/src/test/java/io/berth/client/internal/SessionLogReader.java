package io.berth.client.internal;

import io.berth.client.store.StoredSession;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a session log as a restarted client would find it, without opening it as a store: no lock, no
 * truncation, so a test can look at the file of a client that is still running (what a SIGKILL now would
 * leave, since written records survive the death of the process).
 */
public final class SessionLogReader {
    private SessionLogReader() {}

    /** The live content of the records in {@code log}, up to the first that is not valid. */
    public static StoredSession read(Path log) throws IOException {
        SessionImage image = new SessionImage();
        ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(log));
        if (buf.remaining() >= SessionLogFormat.HEADER_SIZE) {
            buf.position(SessionLogFormat.HEADER_SIZE);
            for (var c = SessionLogFormat.readRecord(buf); c != null; c = SessionLogFormat.readRecord(buf)) {
                image.apply(c);
            }
        }
        return image.snapshot();
    }

    /** Where the records of the log at {@code log} end: what follows is zeros (preallocated) or a torn tail. */
    public static long endOfRecords(Path log) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(log));
        buf.position(SessionLogFormat.HEADER_SIZE);
        while (SessionLogFormat.readRecord(buf) != null) {
            // skip
        }
        return buf.position();
    }
}
