package io.berth.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.berth.client.store.ClientSessionStore;
import io.berth.client.store.SessionChange;
import io.berth.client.store.StoredSession;
import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ChangeBatchTest {
    /** Records every append; its futures complete when the test says so. */
    private static final class RecordingStore implements ClientSessionStore {
        final List<List<SessionChange>> appends = new CopyOnWriteArrayList<>();
        final List<CompletableFuture<Void>> futures = new CopyOnWriteArrayList<>();
        boolean completeAtOnce;

        @Override
        public StoredSession load() {
            return new SessionImage().snapshot();
        }

        @Override
        public CompletableFuture<Void> append(List<SessionChange> changes) {
            appends.add(List.copyOf(changes));
            CompletableFuture<Void> f =
                    completeAtOnce ? CompletableFuture.completedFuture(null) : new CompletableFuture<>();
            futures.add(f);
            return f;
        }

        @Override
        public void close() {}
    }

    private final MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final EventLoop loop = group.next();
    private final RecordingStore store = new RecordingStore();
    private final ChangeBatch batch = new ChangeBatch(store, loop);
    private final List<String> events = new CopyOnWriteArrayList<>();

    @AfterEach
    void shutdown() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private ChangeBatch.Done note(String name) {
        return failure -> events.add(name + (failure == null ? " durable" : " failed: " + failure.getMessage())
                + " on loop " + loop.inEventLoop());
    }

    @Test
    void changesOfOnePass_areOneAppendInOrder_andTheirCallbacksWaitForIt() {
        SessionChange.MessageAdded added = new SessionChange.MessageAdded(
                1, ClientSessionStoreContract.message("m", io.berth.codec.QoS.AT_LEAST_ONCE));
        SessionChange.PacketIdAssigned assigned = new SessionChange.PacketIdAssigned(1, 5);
        SessionChange.MessageRemoved removed = new SessionChange.MessageRemoved(0);
        loop.execute(() -> {
            batch.add(added, note("added"));
            batch.add(assigned, note("assigned"));
            batch.add(removed); // nobody waits on a removal
        });

        await().atMost(Duration.ofSeconds(5)).until(() -> store.appends.size() == 1);
        assertThat(store.appends.get(0)).containsExactly(added, assigned, removed);
        assertThat(events).isEmpty();

        store.futures.get(0).complete(null);

        await().atMost(Duration.ofSeconds(5)).until(() -> events.size() == 2);
        assertThat(events).containsExactly("added durable on loop true", "assigned durable on loop true");
        assertThat(store.appends).hasSize(1);
    }

    @Test
    void laterPass_isALaterAppend() {
        loop.execute(() -> batch.add(new SessionChange.InboundReceived(1), note("first")));
        await().atMost(Duration.ofSeconds(5)).until(() -> store.appends.size() == 1);
        loop.execute(() -> batch.add(new SessionChange.InboundReleased(1), note("second")));
        await().atMost(Duration.ofSeconds(5)).until(() -> store.appends.size() == 2);

        store.futures.get(1).complete(null);
        store.futures.get(0).complete(null);

        await().atMost(Duration.ofSeconds(5)).until(() -> events.size() == 2);
        assertThat(store.appends.get(1)).containsExactly(new SessionChange.InboundReleased(1));
        assertThat(events).containsExactlyInAnyOrder("first durable on loop true", "second durable on loop true");
    }

    @Test
    void laterBatchCompletedFirst_waitsForTheEarlierOne_thenBothReportInAppendOrder() throws Exception {
        loop.execute(() -> batch.add(new SessionChange.InboundReceived(1), note("first")));
        await().atMost(Duration.ofSeconds(5)).until(() -> store.appends.size() == 1);
        loop.execute(() -> batch.add(new SessionChange.InboundReceived(2), note("second")));
        await().atMost(Duration.ofSeconds(5)).until(() -> store.appends.size() == 2);

        store.futures.get(1).complete(null);
        loop.submit(() -> {}).get(5, TimeUnit.SECONDS); // the loop ran what the completion handed it

        assertThat(events).isEmpty();
        store.futures.get(0).complete(null);
        await().atMost(Duration.ofSeconds(5)).until(() -> events.size() == 2);
        assertThat(events).containsExactly("first durable on loop true", "second durable on loop true");
    }

    @Test
    void batchesCompletedTogether_reportInAppendOrder() throws Exception {
        for (int i = 1; i <= 3; i++) {
            int id = i;
            loop.execute(() -> batch.add(new SessionChange.InboundReceived(id), note("batch " + id)));
            await().atMost(Duration.ofSeconds(5)).until(() -> store.appends.size() == id);
        }

        store.futures.forEach(f -> f.complete(null)); // as one force that covers all three

        await().atMost(Duration.ofSeconds(5)).until(() -> events.size() == 3);
        assertThat(events)
                .containsExactly(
                        "batch 1 durable on loop true", "batch 2 durable on loop true", "batch 3 durable on loop true");
    }

    @Test
    void failedAppend_failsEveryCallbackOfItsBatch() {
        loop.execute(() -> {
            batch.add(new SessionChange.InboundReceived(1), note("a"));
            batch.add(new SessionChange.InboundReceived(2), note("b"));
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> store.appends.size() == 1);

        store.futures.get(0).completeExceptionally(new IOException("disk gone"));

        await().atMost(Duration.ofSeconds(5)).until(() -> events.size() == 2);
        assertThat(events).containsExactly("a failed: disk gone on loop true", "b failed: disk gone on loop true");
    }

    @Test
    void storeThatCompletesAtOnce_runsTheCallbacksAtTheEndOfThePass() {
        store.completeAtOnce = true;
        loop.execute(() -> {
            batch.add(new SessionChange.InboundReceived(1), note("a"));
            events.add("pass goes on");
        });

        await().atMost(Duration.ofSeconds(5)).until(() -> events.size() == 2);
        assertThat(events).containsExactly("pass goes on", "a durable on loop true");
    }

    @Test
    void flush_appendsAtOnce() throws Exception {
        loop.submit(() -> {
                    batch.add(new SessionChange.InboundCleared());
                    batch.flush();
                    assertThat(store.appends).hasSize(1);
                })
                .get(5, TimeUnit.SECONDS);

        assertThat(store.appends).containsExactly(List.of(new SessionChange.InboundCleared()));
    }

    @Test
    void storeThatCompletesAfterTheLoopEnded_stillRunsTheCallbacks() {
        loop.execute(() -> batch.add(new SessionChange.InboundReceived(1), note("late")));
        await().atMost(Duration.ofSeconds(5)).until(() -> store.appends.size() == 1);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();

        store.futures.get(0).complete(null); // the client closed; its store forced the last records now

        assertThat(events).containsExactly("late durable on loop false");
    }
}
