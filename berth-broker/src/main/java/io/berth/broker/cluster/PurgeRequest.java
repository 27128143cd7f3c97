package io.berth.broker.cluster;

import io.berth.broker.session.Purge;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The selection of an operator's purge as a {@link LogEntry.Kind#PURGE} entry carries it: u8 1 and the UTF
 * topic filter, or u8 0 without one; u64 older-than (wall-clock milliseconds, 0 for any age); u64 oldest
 * (0 for no limit).
 *
 * <p>Threading: stateless.
 */
final class PurgeRequest {
    private PurgeRequest() {}

    static byte[] encode(Purge select) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            String filter = select.topicFilter();
            out.writeBoolean(filter != null);
            if (filter != null) {
                out.writeUTF(filter);
            }
            out.writeLong(select.olderThanMillis());
            out.writeLong(select.oldest());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** @throws IllegalArgumentException when {@code data} is not a selection */
    static Purge decode(byte[] data) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            String filter = in.readBoolean() ? in.readUTF() : null;
            return new Purge(filter, in.readLong(), in.readLong());
        } catch (IOException e) {
            throw new IllegalArgumentException("truncated purge selection", e);
        }
    }
}
