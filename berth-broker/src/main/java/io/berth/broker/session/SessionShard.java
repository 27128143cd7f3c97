package io.berth.broker.session;

import io.berth.broker.config.QueueLimits;
import io.berth.broker.store.RecoveredSession;
import io.berth.broker.store.SessionStore;
import io.berth.broker.store.StoredMessage;
import io.berth.codec.DisconnectPacket;
import io.berth.codec.MqttPacket;
import io.berth.codec.PubackPacket;
import io.berth.codec.PubcompPacket;
import io.berth.codec.PublishPacket;
import io.berth.codec.PubrecPacket;
import io.berth.codec.PubrelPacket;
import io.berth.codec.ReasonCode;
import io.berth.codec.SubscribePacket;
import io.berth.codec.UnsubscribePacket;
import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * One single-writer partition of the sessions, on one of the Netty event loops (ADR 9). The connections
 * of its sessions are moved to its loop at CONNECT, so what they read is handled here at once, in the
 * read; the work itself is done by {@link SessionLifecycle}, {@link ClientRequests} and {@link
 * SubscribeRequests}; {@link QueueAdmission} takes routed messages into the queues of its sessions, and
 * {@link ShardOutbox} carries work to other shards once per tick.
 *
 * <p>Threading: {@link #sessions} and every {@link Session} in it are owned by {@link #executor}'s
 * loop; the entry points for connections assert it, the others hand a task to it.
 */
public final class SessionShard {
    final int index;
    final ShardExecutor executor;
    /** The store commands of this tick, submitted together at its end. */
    final TickBatch batch;
    /** Tasks for other shards collected during this tick. */
    private final ShardOutbox outbox;

    final BrokerContext context;
    /** Where queue reads past what memory holds run (shared by the shards). */
    final java.util.concurrent.Executor reader;
    /** This shard's share of the memory that holds queued messages of online sessions. */
    final HeldBudget heldBudget;

    final Map<String, Session> sessions = new HashMap<>();
    private final SessionLifecycle lifecycle;
    private final GroupQueues groups;
    private final ClientRequests requests;
    private final SubscribeRequests subscriptions;
    private final QueueAdmission admission;
    private long incarnations;
    private final DropLog dropLog = new DropLog();
    private final Sessions owner;
    private final QueueWatermarks watermarks;
    /** Null on a single node. */
    private final @Nullable InboxIntake inbox;

    SessionShard(
            int index,
            ShardLoop loop,
            BrokerContext context,
            Sessions owner,
            java.util.concurrent.Executor reader,
            long heldBytes) {
        this.owner = owner;
        this.index = index;
        this.context = context;
        this.reader = reader;
        this.heldBudget = new HeldBudget(heldBytes);
        this.executor = new ShardExecutor(loop, context.fatal());
        this.batch = new TickBatch(this::onShard, executor::endOfTickNeeded);
        this.watermarks = new QueueWatermarks(this, owner);
        this.outbox = new ShardOutbox(
                context.config().shards(),
                executor::endOfTickNeeded,
                i -> owner.shards().get(i).executor);
        executor.endOfTick(this::endOfTick);
        this.lifecycle = new SessionLifecycle(this, owner);
        this.requests = new ClientRequests(this, owner);
        this.subscriptions = new SubscribeRequests(this, owner, requests);
        this.groups = new GroupQueues(this, owner);
        this.admission = new QueueAdmission(this, lifecycle, requests, dropLog);
        SessionHandover handover = owner.handover();
        this.inbox = handover == null ? null : new InboxIntake(this, handover);
    }

    // ---- entry points of a connection: on the shard's loop, where the connection lives ----

    /** The event loop of this shard: a connection of one of its sessions is registered on it. */
    public EventExecutor loop() {
        return executor.loop();
    }

    /** Handles a packet a connection of this shard read, now. */
    public void handle(ClientConnection conn, MqttPacket packet) {
        assert executor.inEventLoop() : "session work off its shard";
        try {
            dispatch(conn, packet);
        } catch (RuntimeException | Error e) {
            context.fatal().uncaughtException(Thread.currentThread(), e);
        }
    }

    private void dispatch(ClientConnection conn, MqttPacket packet) {
        if (packet instanceof PublishPacket p) {
            requests.publish(conn, p);
        } else if (packet instanceof PubackPacket p) {
            withSession(conn, s -> SubscriberAcks.onPuback(s.outbound, p.packetId()));
        } else if (packet instanceof PubrecPacket p) {
            withSession(conn, s -> SubscriberAcks.onPubrec(s.outbound, p.packetId(), p.reasonCode()));
        } else if (packet instanceof PubrelPacket p) {
            requests.pubrel(conn, p);
        } else if (packet instanceof PubcompPacket p) {
            withSession(conn, s -> SubscriberAcks.onPubcomp(s.outbound, p.packetId()));
        } else if (packet instanceof SubscribePacket p) {
            subscriptions.subscribe(conn, p);
        } else if (packet instanceof UnsubscribePacket p) {
            subscriptions.unsubscribe(conn, p);
        } else {
            throw new IllegalArgumentException("not for a session: " + packet.type());
        }
    }

    public void connect(ConnectRequest request) {
        assert executor.inEventLoop() : "session work off its shard";
        executor.runChecked(() -> lifecycle.connect(request));
    }

    void release(String clientId) {
        executor.execute(() -> lifecycle.release(clientId));
    }

    /** Cluster only: serves a session this node adopted (ADR 14). */
    void adopt(RecoveredSession r) {
        executor.execute(() -> lifecycle.adopt(r));
    }

    /** Cluster only: takes what the inbox of {@code clientId} holds into its queue (ADR 13). */
    void pullInbox(String clientId) {
        InboxIntake i = inbox;
        if (i != null) {
            onShard(() -> i.pull(clientId));
        }
    }

    /** Closes the connection of every session of this shard with {@code reason}; the sessions stay. */
    void disconnectAll(ReasonCode reason) {
        executor.execute(() -> {
            for (Session s : new ArrayList<>(sessions.values())) {
                if (s.connection != null) {
                    s.connection.close(reason);
                }
            }
        });
    }

    public void disconnect(ClientConnection conn, DisconnectPacket packet) {
        assert executor.inEventLoop() : "session work off its shard";
        executor.runChecked(() -> lifecycle.disconnect(conn, packet));
    }

    public void connectionLost(ClientConnection conn) {
        assert executor.inEventLoop() : "session work off its shard";
        executor.runChecked(() -> lifecycle.connectionLost(conn));
    }

    // ---- entry points: any thread ----

    /** Hands what a shared group's queue holds to the group's online members ({@link GroupQueues}). */
    void drainGroup(String groupKey) {
        executor.execute(() -> groups.drain(groupKey));
    }

    /** Reserves queue positions for a message (called by the router on the publisher's shard). */
    CompletableFuture<Reservation> prepare(SessionShard from, StoredMessage message, List<Delivery> deliveries) {
        if (from == this) {
            // the publisher lives on this shard too: no need for a round trip through the task queue
            return CompletableFuture.completedFuture(reserve(message, deliveries));
        }
        // in the same hand-off as the publisher's other messages for this shard, so their order is kept
        CompletableFuture<Reservation> result = new CompletableFuture<>();
        from.handTo(this, () -> result.complete(reserve(message, deliveries)));
        return result;
    }

    /** The reserved positions were committed (or failed with {@code error}). */
    void committed(List<Prepared> prepared, @Nullable Throwable error) {
        if (executor.inEventLoop()) {
            applyCommitted(prepared, error);
        } else {
            executor.execute(() -> applyCommitted(prepared, error));
        }
    }

    void applyCommitted(List<Prepared> prepared, @Nullable Throwable error) {
        assert executor.inEventLoop() : "session work off its shard";
        admission.applyCommitted(prepared, error);
    }

    /**
     * Runs {@code task} on {@code target}'s thread: at the end of this tick, in one task with everything
     * else this tick has for {@code target}; now when {@code target} is this shard.
     */
    void handTo(SessionShard target, Runnable task) {
        assert executor.inEventLoop() : "handed over off the shard";
        if (target == this) {
            task.run();
            return;
        }
        outbox.add(target.index, task);
    }

    /** Hands over what this tick collected: the store commands, then the tasks for other shards. */
    private void endOfTick() {
        // a store that completes synchronously may add more (a delivery, a reply) while it is told
        for (int round = 0; round < 8 && !batch.isEmpty(); round++) {
            batch.flush();
        }
        outbox.handOver();
        if (!batch.isEmpty()) {
            executor.execute(executor::endOfTickNeeded); // another tick for what is left
        }
    }

    /** Queues a message for this shard's subscribers in {@code deliveries}: see {@link QueueAdmission#accept}. */
    void accept(StoredMessage message, List<Delivery> deliveries, PendingRoute.@Nullable Done reply) {
        assert executor.inEventLoop() : "session work off its shard";
        admission.accept(message, deliveries, reply);
    }

    /** Runs {@code task} on the shard's thread: now when already there, otherwise as a task. */
    void onShard(Runnable task) {
        if (executor.inEventLoop()) {
            task.run();
        } else {
            executor.execute(task);
        }
    }

    /** Puts a session read from the store back; runs before the broker accepts connections. */
    CompletableFuture<Void> restore(List<RecoveredSession> recovered) {
        return CompletableFuture.runAsync(
                () -> {
                    for (RecoveredSession r : recovered) {
                        lifecycle.restore(r);
                    }
                },
                executor);
    }

    /** Runs {@code task} on the shard's thread. */
    <T> CompletableFuture<T> call(java.util.concurrent.Callable<T> task) {
        CompletableFuture<T> result = new CompletableFuture<>();
        executor.execute(() -> {
            try {
                result.complete(task.call());
            } catch (Exception | Error e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    /** Ends a session on an operator's request: completes once its removal committed; null when there is none. */
    @Nullable
    CompletableFuture<Void> adminDelete(String clientId) {
        return lifecycle.endByOperator(clientId);
    }

    // ---- on the shard's thread ----

    long nextIncarnation() {
        return ((long) index << 48) | ++incarnations;
    }

    /** Reserves queue positions for {@code message} in the queues of {@code deliveries} on this shard. */
    Reservation reserve(StoredMessage message, List<Delivery> deliveries) {
        assert executor.inEventLoop() : "session work off its shard";
        return admission.reserve(message, deliveries);
    }

    /** What the queues of this shard report: watermark crossings and evictions (one for all of them). */
    OutboundQueue.QueueEvents queueEvents() {
        return queueEvents;
    }

    private final OutboundQueue.QueueEvents queueEvents = new OutboundQueue.QueueEvents() {
        @Override
        public void crossed(String clientId, boolean high, long count, long bytes, QueueLimits limits) {
            watermarks.crossed(clientId, high, count, bytes, limits);
        }

        @Override
        public void evicted(String clientId, Refusal refusal) {
            dropLog.dropped(clientId, refusal);
        }
    };

    private void withSession(ClientConnection conn, java.util.function.Consumer<Session> action) {
        Session s = sessions.get(conn.clientId());
        if (s != null && s.isConnectedTo(conn)) {
            action.accept(s);
        }
    }

    SessionStore storeFor(long expiryIntervalSeconds) {
        return expiryIntervalSeconds == 0 ? context.volatileStore() : context.durableStore();
    }
}
