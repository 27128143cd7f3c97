package io.berth.broker.cluster;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * One Raft log entry of the session group: who submitted it, and either one store submission (a shard's
 * tick of {@link io.berth.broker.store.StoreCommand}s, as {@link io.berth.broker.store.rocksdb.CommandCodec}
 * encodes them), the claim of a session by a node, the adoption of every session another node (or
 * this node's former run) owns (ADR 14), or an operator's request to a session's owner and its answer
 * (ADR 19).
 *
 * <p>Layout: u8 kind, UTF node id, u64 incarnation (the submitting process, so that a restarted node never
 * takes an entry of its former life for one it waits for), u64 sequence number of the submission within
 * the incarnation, then for {@link Kind#COMMANDS} u32 length and the commands, for {@link Kind#CLAIM} the
 * UTF client id, for {@link Kind#ADOPT} the UTF id of the node whose sessions are adopted, for {@link
 * Kind#PURGE} the UTF client id, u32 length and the selection ({@link PurgeRequest}), for {@link
 * Kind#DELETE} and {@link Kind#DISCONNECT} the UTF client id, for {@link Kind#ANSWER} the UTF id of the
 * node that asked, u32 length and the answer ({@link OperatorAnswer}).
 *
 * @param commands the store commands ({@link Kind#COMMANDS}), the purge selection ({@link Kind#PURGE}),
 *     the answer ({@link Kind#ANSWER})
 * @param clientId the claimed, purged, deleted or disconnected session; for {@link Kind#ADOPT} the node
 *     whose sessions are adopted (see {@link #from}); for {@link Kind#ANSWER} the node that asked; empty
 *     otherwise
 */
record LogEntry(Kind kind, String node, long incarnation, long seq, byte[] commands, String clientId) {
    enum Kind {
        COMMANDS,
        CLAIM,
        /** Every session that node {@link #from} owns when the entry is applied passes to {@link #node}. */
        ADOPT,
        /** An operator's purge of a session's queue, for the node that owns it when applied to carry out. */
        PURGE,
        /** An operator's delete of a session, for the node that owns it when applied to carry out and answer. */
        DELETE,
        /** An operator's disconnect of a session's client, for the node that owns it when applied. */
        DISCONNECT,
        /** What the owner did of a {@link #PURGE}, {@link #DELETE} or {@link #DISCONNECT}, for the node that asked. */
        ANSWER;

        /** Whether entries of this kind carry a byte array after the client id. */
        boolean carriesBytes() {
            return this == PURGE || this == ANSWER;
        }
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

    /** An operator's {@link Kind#DELETE} or {@link Kind#DISCONNECT} of {@code clientId}'s session. */
    static LogEntry operator(Kind kind, String node, long incarnation, long seq, String clientId) {
        if (kind != Kind.DELETE && kind != Kind.DISCONNECT) {
            throw new IllegalArgumentException("not an operator's request: " + kind);
        }
        return new LogEntry(kind, node, incarnation, seq, new byte[0], clientId);
    }

    static LogEntry answer(String node, long incarnation, long seq, String askedBy, byte[] answer) {
        return new LogEntry(Kind.ANSWER, node, incarnation, seq, answer, askedBy);
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
            } else if (kind.carriesBytes()) {
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
            String clientId = in.readUTF();
            if (kind.carriesBytes()) {
                byte[] bytes = new byte[in.readInt()];
                in.readFully(bytes);
                return new LogEntry(kind, node, incarnation, seq, bytes, clientId);
            }
            return new LogEntry(kind, node, incarnation, seq, new byte[0], clientId);
        } catch (IOException e) {
            throw new IllegalArgumentException("truncated log entry", e);
        }
    }
}
