package io.berth.broker.session;

import io.berth.broker.config.QueueLimits;
import io.berth.broker.metrics.BrokerMetrics;
import io.berth.broker.store.SessionStore;
import io.berth.broker.store.memory.MemorySessionStore;
import io.berth.codec.MqttPacket;
import io.berth.codec.MqttVersion;
import io.berth.codec.PublishPacket;
import io.berth.codec.ReasonCode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One client's {@link OutboundQueue} on an in-memory store (or the store a test gives), with a connection
 * that records what it is sent, a tick batch that is submitted when the test says ({@link #batch}) and a
 * store reader whose tasks run only when the test says ({@link #runReader()}).
 *
 * <p>Threading: everything runs on the test thread.
 */
final class QueueHarness {
    static final String CLIENT = "sub";

    final MemorySessionStore store = new MemorySessionStore();
    final List<MqttPacket> sent = new ArrayList<>();
    final HeldBudget budget = new HeldBudget(1 << 20);
    /** The queue's tick batch: {@code batch.flush()} submits what it collected. */
    final TickBatch batch = new TickBatch(Runnable::run, () -> {});

    private final List<Runnable> readerTasks = new ArrayList<>();
    private final SessionStore queueStore;

    QueueHarness() {
        this.queueStore = store;
    }

    /** A harness whose queues use {@code queueStore} instead of {@link #store}. */
    QueueHarness(SessionStore queueStore) {
        this.queueStore = queueStore;
    }

    OutboundQueue queue() {
        return new OutboundQueue(
                CLIENT,
                queueStore,
                Runnable::run,
                readerTasks::add,
                budget,
                batch,
                System::currentTimeMillis,
                new BrokerMetrics(),
                new OutboundQueue.QueueEvents() {
                    @Override
                    public void crossed(String clientId, boolean high, long count, long bytes, QueueLimits limits) {}

                    @Override
                    public void evicted(String clientId, Refusal refusal) {}
                });
    }

    /** The payloads of the PUBLISH packets sent so far, as text, in order. */
    List<String> payloads() {
        List<String> out = new ArrayList<>();
        for (MqttPacket p : sent) {
            if (p instanceof PublishPacket publish) {
                out.add(new String(publish.payload(), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    /** Runs the store reads the queue asked for, and those they lead to. */
    void runReader() {
        while (!readerTasks.isEmpty()) {
            readerTasks.remove(0).run();
        }
    }

    /** A 5.0 connection of {@link #CLIENT} that takes {@code window} unacknowledged messages. */
    ClientConnection connection(int window) {
        return new ClientConnection() {
            @Override
            public String clientId() {
                return CLIENT;
            }

            @Override
            public MqttVersion version() {
                return MqttVersion.V5;
            }

            @Override
            public int sendWindow() {
                return window;
            }

            @Override
            public long maximumPacketSize() {
                return Long.MAX_VALUE;
            }

            @Override
            public void send(MqttPacket packet) {
                sent.add(packet);
            }

            @Override
            public void flush() {}

            @Override
            public void close(ReasonCode reason) {}

            @Override
            public void refuse(ReasonCode reason) {}

            @Override
            public boolean isWritable() {
                return true;
            }

            @Override
            public void inboundDone() {}

            @Override
            public String describe() {
                return CLIENT;
            }
        };
    }
}
