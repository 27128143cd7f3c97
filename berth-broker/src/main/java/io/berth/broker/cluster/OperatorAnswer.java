package io.berth.broker.cluster;

import io.berth.broker.session.OwnerOutcome;
import java.nio.ByteBuffer;

/**
 * What the node that serves a session did of an operator's {@link LogEntry.Kind#PURGE}, {@link
 * LogEntry.Kind#DELETE} or {@link LogEntry.Kind#DISCONNECT} asked on another node, as a {@link
 * LogEntry.Kind#ANSWER} entry carries it (after the UTF id of the node that asked): u64 incarnation and
 * u64 sequence number of the request's entry, u8 outcome ({@link OwnerOutcome#code}), u64 count (of a
 * purge: the messages removed; else 0).
 *
 * @param incarnation the incarnation of the node that asked (an answer to its former run is ignored)
 * @param seq the sequence number of the request's entry
 * @param removed the number of messages a purge removed (0 for a delete or disconnect)
 */
record OperatorAnswer(long incarnation, long seq, OwnerOutcome outcome, long removed) {
    private static final int SIZE = 25;

    byte[] encode() {
        return ByteBuffer.allocate(SIZE)
                .putLong(incarnation)
                .putLong(seq)
                .put(outcome.code())
                .putLong(removed)
                .array();
    }

    /** @throws IllegalArgumentException when {@code data} is not an answer */
    static OperatorAnswer decode(byte[] data) {
        if (data.length != SIZE) {
            throw new IllegalArgumentException("an answer has " + SIZE + " bytes, not " + data.length);
        }
        ByteBuffer in = ByteBuffer.wrap(data);
        return new OperatorAnswer(in.getLong(), in.getLong(), OwnerOutcome.fromCode(in.get()), in.getLong());
    }
}
