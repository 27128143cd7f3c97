package io.berth.broker.store.memory;

import io.berth.broker.store.InflightRecord;
import io.berth.broker.store.QueuedMessage;
import io.berth.broker.store.RecoveredSession;
import io.berth.broker.store.SessionRecord;
import io.berth.broker.store.SessionStore;
import io.berth.broker.store.StoreCommand;
import io.berth.broker.store.StoredMessage;
import io.berth.broker.store.Subscription;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * Keeps everything on the heap and completes every command at once. {@link #recover()} returns what it
 * holds, so one instance handed to two broker lifetimes in one JVM behaves like a store that survived.
 *
 * <p>Threading: all state is guarded by the store's monitor.
 */
public final class MemorySessionStore implements SessionStore {
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private final Map<String, ClientData> clients = new HashMap<>();
    private final Map<String, StoredMessage> retained = new LinkedHashMap<>();
    private long maxMessageId;

    @Override
    public synchronized CompletableFuture<Void> submit(List<StoreCommand> commands) {
        for (StoreCommand command : commands) {
            apply(command);
        }
        return DONE;
    }

    private void apply(StoreCommand command) {
        if (command instanceof StoreCommand.PutSession c) {
            client(c.session().clientId()).record = c.session();
        } else if (command instanceof StoreCommand.DeleteSession c) {
            clients.remove(c.clientId());
        } else if (command instanceof StoreCommand.PutSubscription c) {
            client(c.clientId()).subscriptions.put(c.subscription().filter(), c.subscription());
        } else if (command instanceof StoreCommand.DeleteSubscription c) {
            ClientData d = clients.get(c.clientId());
            if (d != null) {
                d.subscriptions.remove(c.filter());
            }
        } else if (command instanceof StoreCommand.Enqueue c) {
            ClientData d = client(c.clientId());
            d.queue.put(c.entry().seq(), new QueuedMessage(c.entry(), c.message()));
            d.tail = Math.max(d.tail, c.entry().seq() + 1);
            maxMessageId = Math.max(maxMessageId, c.message().id());
        } else if (command instanceof StoreCommand.Dequeue c) {
            ClientData d = clients.get(c.clientId());
            if (d != null) {
                d.queue.remove(c.seq());
                d.inflight.remove(c.seq());
            }
        } else if (command instanceof StoreCommand.PutInflight c) {
            ClientData d = clients.get(c.clientId());
            if (d != null && d.queue.containsKey(c.inflight().seq())) {
                d.inflight.put(c.inflight().seq(), c.inflight());
            }
        } else if (command instanceof StoreCommand.PutInbound c) {
            client(c.clientId()).inbound.add(c.packetId());
        } else if (command instanceof StoreCommand.DeleteInbound c) {
            ClientData d = clients.get(c.clientId());
            if (d != null) {
                d.inbound.remove(c.packetId());
            }
        } else if (command instanceof StoreCommand.PutRetained c) {
            retained.put(c.message().topic(), c.message());
            maxMessageId = Math.max(maxMessageId, c.message().id());
        } else if (command instanceof StoreCommand.DeleteRetained c) {
            retained.remove(c.topic());
        } else {
            throw new IllegalArgumentException("unknown command " + command);
        }
    }

    private ClientData client(String clientId) {
        return clients.computeIfAbsent(clientId, id -> new ClientData());
    }

    @Override
    public synchronized Recovery recover() {
        List<RecoveredSession> sessions = new ArrayList<>();
        for (ClientData d : clients.values()) {
            if (d.record == null) {
                continue;
            }
            long head = d.queue.isEmpty() ? d.tail : d.queue.firstKey();
            long bytes = 0;
            for (QueuedMessage m : d.queue.values()) {
                bytes += m.message().sizeBytes();
            }
            sessions.add(new RecoveredSession(
                    d.record,
                    new ArrayList<>(d.subscriptions.values()),
                    head,
                    d.tail,
                    d.queue.size(),
                    bytes,
                    new ArrayList<>(d.inflight.values()),
                    d.inbound));
        }
        return new Recovery(sessions, new ArrayList<>(retained.values()), maxMessageId + 1);
    }

    @Override
    public synchronized @Nullable StoredMessage readRetained(String topic) {
        return retained.get(topic);
    }

    @Override
    public synchronized List<QueuedMessage> readQueue(String clientId, long fromSeq, long toSeq, int max) {
        ClientData d = clients.get(clientId);
        if (d == null || fromSeq >= toSeq) {
            return List.of();
        }
        List<QueuedMessage> out = new ArrayList<>(Math.min(max, 64));
        for (QueuedMessage m : d.queue.subMap(fromSeq, toSeq).values()) {
            if (out.size() >= max) {
                break;
            }
            out.add(m);
        }
        return out;
    }

    @Override
    public boolean durable() {
        return false;
    }

    @Override
    public String describe() {
        return "memory (nothing survives a restart)";
    }

    @Override
    public void close() {}

    /** One client's data. Guarded by the store's monitor. */
    private static final class ClientData {
        @Nullable
        SessionRecord record;

        final Map<String, Subscription> subscriptions = new LinkedHashMap<>();
        final TreeMap<Long, QueuedMessage> queue = new TreeMap<>();
        final TreeMap<Long, InflightRecord> inflight = new TreeMap<>();
        final Set<Integer> inbound = new HashSet<>();
        long tail;
    }
}
