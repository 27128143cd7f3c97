package io.berth.broker.cluster;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * One Raft log entry of the session group: who submitted it, and either one store submission (a shard's
 * tick of {@link io.berth.broker.store.StoreCommand}s, as {@link io.berth.broker.store.rocksdb.CommandCodec}
 * encodes them), the claim of a session by a node, or the adoption of every session another node (or
 * this node's former run) owns (ADR 14).
 *
 * <p>Layout: u8 kind, UTF node id, u64 incarnation (the submitting process, so that a restarted node never
 * takes an entry of its former life for one it waits for), u64 sequence number of the submission within
 * the incarnation, then for {@link Kind#COMMANDS} u32 length and the commands, for {@link Kind#CLAIM} the
 * UTF client id, for {@link Kind#ADOPT} the UTF id of the node whose sessions are adopted, for {@link
 * Kind#PURGE} the UTF client id, u32 length and the selection ({@link PurgeRequest}).
 *
 * @param commands the store commands ({@link Kind#COMMANDS}), the purge selection ({@link Kind#PURGE})
 * @param clientId the claimed or purged session ({@link Kind#CLAIM}, {@link Kind#PURGE}); for {@link
 *     Kind#ADOPT} the node whose sessions are adopted (see {@link #from}); empty otherwise
 */
record LogEntry(Kind kind, String node, long incarnation, long seq, byte[] commands, String clientId) {
    enum Kind {
        COMMANDS,
        CLAIM,
        /** Every session that node {@link #from} owns when the entry is applied passes to {@link #node}. */
        ADOPT,
        /** An operator's purge of a session's queue, for the node that owns it when applied to carry out. */
        PURGE
    }

    static LogEntry commands(String node, long incarnation, long seq, byte[] commands) {
        return new LogEntry(Kind.COMMANDS, node, incarnation, seq, commands, "");
    }

    static LogEntry claim(String node, long incarnation, long seq, String clientId) {
        return new LogEntry(Kind.CLAIM, node, incarnation, seq, new byte[0], clientId);
    }

    static LogEntry adopt(String node, long incarnation, long seq, String from) {
        return new LogEntry(Kind.ADOPT, node, incarnation, seq, new byte[0], from);
    }

    static LogEntry purge(String node, long incarnation, long seq, String clientId, byte[] selection) {
        return new LogEntry(Kind.PURGE, node, incarnation, seq, selection, clientId);
    }

    /** The node whose sessions an {@link Kind#ADOPT} entry adopts. */
    String from() {
        return clientId;
    }

    byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(commands.length + 64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(kind.ordinal());
            out.writeUTF(node);
            out.writeLong(incarnation);
            out.writeLong(seq);
            if (kind == Kind.COMMANDS) {
                out.writeInt(commands.length);
                out.write(commands);
            } else if (kind == Kind.PURGE) {
                out.writeUTF(clientId);
                out.writeInt(commands.length);
                out.write(commands);
            } else {
                out.writeUTF(clientId);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** @throws IllegalArgumentException when {@code data} is not an entry */
    static LogEntry decode(DataInputStream in) {
        try {
            int k = in.readUnsignedByte();
            if (k >= Kind.values().length) {
                throw new IllegalArgumentException("unknown log entry kind " + k);
            }
            Kind kind = Kind.values()[k];
            String node = in.readUTF();
            long incarnation = in.readLong();
            long seq = in.readLong();
            if (kind == Kind.COMMANDS) {
                byte[] commands = new byte[in.readInt()];
                in.readFully(commands);
                return commands(node, incarnation, seq, commands);
            }
            if (kind == Kind.PURGE) {
                String clientId = in.readUTF();
                byte[] selection = new byte[in.readInt()];
                in.readFully(selection);
                return purge(node, incarnation, seq, clientId, selection);
            }
            return kind == Kind.CLAIM
                    ? claim(node, incarnation, seq, in.readUTF())
                    : adopt(node, incarnation, seq, in.readUTF());
        } catch (IOException e) {
            throw new IllegalArgumentException("truncated log entry", e);
        }
    }
}
