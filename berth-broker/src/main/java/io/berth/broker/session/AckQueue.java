package io.berth.broker.session;

import io.berth.codec.MqttPacket;
import java.util.ArrayDeque;
import org.jspecify.annotations.Nullable;

/**
 * A session's acknowledgements (PUBACK, PUBREC, PUBCOMP, SUBACK, UNSUBACK) waiting for what they
 * acknowledge to commit. They leave in the order the requests came, whatever order the commits
 * complete in: the queue is the order ([MQTT-4.6.0-2], [MQTT-4.6.0-3]), no chain of futures.
 *
 * <p>Threading: owned by the session's shard.
 */
final class AckQueue {
    /** One acknowledgement and what it waits for. */
    static final class Pending {
        final MqttPacket ok;
        /** Sent instead of {@link #ok} when a subscriber's queue refused the message; null for never. */
        final @Nullable MqttPacket refused;
        /** Sent when the commit failed (5.0); null to close the connection instead. */
        final @Nullable MqttPacket failed;
        /** True for the acknowledgement that ends an inbound QoS 1/2 exchange (Receive Maximum). */
        final boolean releasesSlot;
        /** Runs on the shard right after the acknowledgement is sent (retained messages after SUBACK). */
        @Nullable
        Runnable then;

        private int waiting = 1;
        private boolean rejected;
        private @Nullable Throwable error;

        Pending(MqttPacket ok, @Nullable MqttPacket refused, @Nullable MqttPacket failed, boolean releasesSlot) {
            this.ok = ok;
            this.refused = refused;
            this.failed = failed;
            this.releasesSlot = releasesSlot;
        }

        boolean ready() {
            return waiting == 0;
        }

        /** The commit failed with this, or null. */
        @Nullable
        Throwable error() {
            return error;
        }

        /** What to send when the commit succeeded. */
        MqttPacket answer() {
            return rejected && refused != null ? refused : ok;
        }
    }

    /** Where ready acknowledgements go. */
    interface Sink {
        void send(Pending ack);
    }

    /** Made at the first acknowledgement, dropped by {@link #clear}: an offline session has none. */
    private @Nullable ArrayDeque<Pending> queue;

    /** Queues an acknowledgement that waits for one completion. */
    Pending add(MqttPacket ok, @Nullable MqttPacket refused, @Nullable MqttPacket failed, boolean releasesSlot) {
        Pending p = new Pending(ok, refused, failed, releasesSlot);
        ArrayDeque<Pending> q = queue;
        if (q == null) {
            q = new ArrayDeque<>();
            queue = q;
        }
        q.add(p);
        return p;
    }

    /** Queues an acknowledgement that waits for nothing (it still waits for those before it). */
    Pending addReady(MqttPacket ok) {
        Pending p = add(ok, null, null, false);
        p.waiting = 0;
        return p;
    }

    /** Makes {@code p} wait for one more completion. */
    void waitMore(Pending p) {
        p.waiting++;
    }

    /**
     * One thing {@code p} waits for completed: with {@code rejected} when a queue refused the message,
     * with {@code error} when the commit failed.
     */
    void complete(Pending p, boolean rejected, @Nullable Throwable error) {
        assert p.waiting > 0 : "completed more often than it waits";
        p.waiting--;
        p.rejected |= rejected;
        if (error != null && p.error == null) {
            p.error = error;
        }
    }

    /** Hands the ready acknowledgements at the head to {@code sink}, in order; returns how many. */
    int drain(Sink sink) {
        ArrayDeque<Pending> q = queue;
        if (q == null) {
            return 0;
        }
        int n = 0;
        Pending head;
        while ((head = q.peek()) != null && head.ready()) {
            q.poll();
            sink.send(head);
            n++;
        }
        return n;
    }

    boolean isEmpty() {
        return queue == null || queue.isEmpty();
    }

    /** Forgets every acknowledgement: the connection they were for is gone. */
    void clear() {
        queue = null;
    }

    /** Whether it holds a queue at all (it has none until the first acknowledgement after a clear). */
    boolean allocated() {
        return queue != null;
    }
}
