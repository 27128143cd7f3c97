package io.berth.broker.cluster;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;

/**
 * A member's side of {@link AppliedBarrier}: another node asks, with a Raft stale read, whether this node
 * applied the log up to an index (ADR 16). The ask is answered with the index this node applied, as soon as
 * that reaches the index asked for, or after {@link #holdMillis} when it does not, so that the node that
 * asks sees whether this one moves on.
 *
 * <p>Layout: the ask's message is the u64 index asked for (an empty message asks for the stale read's own
 * minimum index); the answer's message is the u64 index this node applied when it answered.
 *
 * <p>Threading: {@link #ask} on Ratis' server threads, {@link #moved} on the apply thread; the waiting
 * asks are guarded by this object.
 */
final class AppliedAsks {
    /** How long an ask waits here for the index before it is answered with where this node is. */
    static final long HOLD_MILLIS = 500;

    private final LongSupplier applied;
    private final long holdMillis;
    /** The asks waiting, by the index they wait for. */
    private final NavigableMap<Long, CompletableFuture<Void>> waiting = new TreeMap<>();

    /**
     * @param applied the index this node applied (-1 before any)
     * @param holdMillis how long an ask waits for its index
     */
    AppliedAsks(LongSupplier applied, long holdMillis) {
        this.applied = applied;
        this.holdMillis = holdMillis;
    }

    /** The message of an ask for {@code index}. */
    static Message askFor(long index) {
        return encode(index);
    }

    /** The index a member said it applied in its answer. */
    static long appliedIn(Message answer) {
        ByteBuffer bytes = answer.getContent().asReadOnlyByteBuffer();
        if (bytes.remaining() != Long.BYTES) {
            throw new IllegalArgumentException("not an answer to an applied ask: " + bytes.remaining() + " bytes");
        }
        return bytes.getLong();
    }

    /**
     * Answers the ask {@code request} (a stale read whose minimum index is {@code minIndex}) with the index
     * this node applied: once it reached the index asked for, at the latest after {@link #holdMillis}.
     */
    CompletableFuture<Message> ask(Message request, long minIndex) {
        ByteBuffer bytes = request.getContent().asReadOnlyByteBuffer();
        long wanted = bytes.remaining() == Long.BYTES ? Math.max(minIndex, bytes.getLong()) : minIndex;
        CompletableFuture<Void> reached;
        synchronized (this) {
            if (applied.getAsLong() >= wanted) {
                return CompletableFuture.completedFuture(answer());
            }
            reached = waiting.computeIfAbsent(wanted, i -> new CompletableFuture<>());
        }
        return reached.copy().orTimeout(holdMillis, TimeUnit.MILLISECONDS).handle((v, e) -> answer());
    }

    /** The applied index moved to {@code index}: the asks it reaches are answered. */
    void moved(long index) {
        List<CompletableFuture<Void>> reached = new ArrayList<>();
        synchronized (this) {
            while (!waiting.isEmpty() && waiting.firstKey() <= index) {
                reached.add(waiting.pollFirstEntry().getValue());
            }
        }
        reached.forEach(f -> f.complete(null));
    }

    private Message answer() {
        return encode(applied.getAsLong());
    }

    private static Message encode(long index) {
        return Message.valueOf(
                ByteString.copyFrom(ByteBuffer.allocate(Long.BYTES).putLong(0, index)));
    }
}
