package io.berth.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Forces that overlap: each is held by the test until it lets it finish (or fail), so the order in which
 * they end is chosen, not raced.
 */
class ForcePipelineTest {
    @TempDir
    Path dir;

    /** One force call in progress: completing it with null lets it succeed, with an exception fails it. */
    private final LinkedBlockingQueue<CompletableFuture<IOException>> calls = new LinkedBlockingQueue<>();

    private final List<CompletableFuture<IOException>> all = new CopyOnWriteArrayList<>();
    /** Forces are held until the test lets them end; once false, every force ends at once. */
    private volatile boolean holding = true;

    private ForcePipeline pipeline;
    private FailingFileChannel channel;

    @BeforeEach
    void open() throws IOException {
        channel = new FailingFileChannel(FileChannel.open(
                dir.resolve("log"), StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE));
        channel.onForce = () -> {
            if (!holding) {
                return;
            }
            CompletableFuture<IOException> call = new CompletableFuture<>();
            all.add(call);
            calls.add(call);
            IOException failure = call.join();
            if (failure != null) {
                throw failure;
            }
        };
        pipeline = new ForcePipeline(channel, 8, 2, Duration.ZERO, "test");
    }

    @AfterEach
    void close() throws InterruptedException {
        holding = false;
        all.forEach(c -> c.complete(null));
        pipeline.close();
    }

    private CompletableFuture<IOException> nextCall() throws InterruptedException {
        CompletableFuture<IOException> call = calls.poll(10, TimeUnit.SECONDS);
        assertThat(call).as("a force began").isNotNull();
        return call;
    }

    @Test
    void aForceBeginsWhileTheFirstRuns_andALaterOneEndingFirstReportsNothingBeforeTheEarlier() throws Exception {
        CompletableFuture<Void> a = new CompletableFuture<>();
        CompletableFuture<Void> b = new CompletableFuture<>();
        CompletableFuture<Void> c = new CompletableFuture<>();
        pipeline.written(10, List.of(a), false);
        CompletableFuture<IOException> first = nextCall();
        pipeline.written(20, List.of(b), false);
        CompletableFuture<IOException> second = nextCall(); // began while the first still runs

        second.complete(null);
        pipeline.written(30, List.of(c), false);
        CompletableFuture<IOException> third = nextCall(); // the second's thread is free again: it was applied
        assertThat(a).isNotDone();
        assertThat(b)
                .as("covered by the second force, but the first has not ended")
                .isNotDone();

        first.complete(null);
        a.join();
        b.join();
        assertThat(c).isNotDone();
        third.complete(null);
        c.join();
    }

    @Test
    void anEarlierForceFailing_failsWhatALaterSuccessfulForceCovered_andEverythingAfter() throws Exception {
        CompletableFuture<Void> a = new CompletableFuture<>();
        CompletableFuture<Void> b = new CompletableFuture<>();
        CompletableFuture<Void> c = new CompletableFuture<>();
        pipeline.written(10, List.of(a), false);
        CompletableFuture<IOException> first = nextCall();
        pipeline.written(20, List.of(b), false);
        nextCall().complete(null);
        pipeline.written(30, List.of(c), false);
        nextCall(); // held

        first.complete(new IOException("injected flush failure (EIO)"));

        for (CompletableFuture<Void> f : List.of(a, b, c)) {
            assertThatThrownBy(f::join).hasRootCauseMessage("injected flush failure (EIO)");
        }
        CompletableFuture<Void> later = new CompletableFuture<>();
        pipeline.written(40, List.of(later), false);
        assertThatThrownBy(later::join).hasRootCauseMessage("injected flush failure (EIO)");
        assertThat(pipeline.failure()).hasMessage("injected flush failure (EIO)");
    }

    @Test
    void nothingNewWritten_completesAtOnce_whenNoForceIsPending() throws Exception {
        CompletableFuture<Void> a = new CompletableFuture<>();
        pipeline.written(10, List.of(a), false);
        nextCall().complete(null);
        a.join();
        pipeline.awaitIdleWithin(Duration.ofSeconds(30));

        CompletableFuture<Void> empty = new CompletableFuture<>();
        pipeline.written(10, List.of(empty), false);
        assertThat(empty).isCompleted();
        assertThat(calls).isEmpty();
    }

    @Test
    void awaitIdleWithin_givesUpOnceTheRunningForceHasRunForTheHold_andIsTrueOnceTheForcesEnd() throws Exception {
        pipeline.written(10, List.of(new CompletableFuture<>()), false);
        CompletableFuture<IOException> running = nextCall();

        // a flush that hangs does not keep a compaction (and the appends it holds back) waiting for ever
        assertThat(pipeline.awaitIdleWithin(Duration.ofMillis(100))).isFalse();
        running.complete(null);
        assertThat(pipeline.awaitIdleWithin(Duration.ofSeconds(10))).isTrue();
    }

    /** A pipeline of one force at a time whose pause never ends by itself within a test. */
    private ForcePipeline pausing() {
        return new ForcePipeline(channel, 8, 1, Duration.ofHours(1), "test-paused");
    }

    @Test
    void aWriteAfterAQuietSpell_isForcedAtOnce_evenWithAPause() throws Exception {
        ForcePipeline paused = pausing();
        try {
            CompletableFuture<Void> a = new CompletableFuture<>();
            paused.written(10, List.of(a), false);
            nextCall().complete(null); // began without waiting for the hour
            a.get(10, TimeUnit.SECONDS);
        } finally {
            release(paused);
        }
    }

    /**
     * Brings {@code paused} into a pause: a force runs, something is written meanwhile, the force ends,
     * and the next one does not begin. Returns the future of what was written meanwhile (end 20).
     */
    private CompletableFuture<Void> intoAPause(ForcePipeline paused) throws Exception {
        CompletableFuture<Void> first = new CompletableFuture<>();
        CompletableFuture<Void> meanwhile = new CompletableFuture<>();
        paused.written(10, List.of(first), false);
        CompletableFuture<IOException> force = nextCall();
        paused.written(20, List.of(meanwhile), false); // while the first force runs
        force.complete(null);
        first.get(10, TimeUnit.SECONDS);
        assertThat(calls.poll(300, TimeUnit.MILLISECONDS))
                .as("the next force waits in its pause")
                .isNull();
        assertThat(meanwhile).isNotDone();
        return meanwhile;
    }

    /** Lets every force end, held or to come, then closes {@code paused} (a held force would keep close waiting). */
    private void release(ForcePipeline paused) throws InterruptedException {
        holding = false;
        all.forEach(call -> call.complete(null));
        paused.close();
    }

    @Test
    void aForceThatFollowsAnotherBackToBack_pauses_untilEnoughBytesWait() throws Exception {
        ForcePipeline paused = pausing();
        try {
            CompletableFuture<Void> meanwhile = intoAPause(paused);
            CompletableFuture<Void> c = new CompletableFuture<>();
            paused.written(20 + ForcePipeline.PAUSE_BYTES, List.of(c), false);
            nextCall().complete(null); // enough waits: the pause ends early
            meanwhile.get(10, TimeUnit.SECONDS);
            c.get(10, TimeUnit.SECONDS);
        } finally {
            release(paused);
        }
    }

    @Test
    void anUrgentWrite_endsAPause_atOnce() throws Exception {
        ForcePipeline paused = pausing();
        try {
            CompletableFuture<Void> meanwhile = intoAPause(paused);
            CompletableFuture<Void> c = new CompletableFuture<>();
            paused.written(30, List.of(c), true); // a QoS 2 PUBLISH waits for it: no pause
            nextCall().complete(null);
            meanwhile.get(10, TimeUnit.SECONDS);
            c.get(10, TimeUnit.SECONDS);
        } finally {
            release(paused);
        }
    }

    @Test
    void closeDuringAPause_forcesWhatIsLeft_withoutWaitingForThePauseToEnd() throws Exception {
        ForcePipeline paused = pausing();
        CompletableFuture<Void> meanwhile = intoAPause(paused);
        CompletableFuture<Void> closed = CompletableFuture.runAsync(() -> {
            try {
                paused.close();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        nextCall().complete(null);
        meanwhile.get(10, TimeUnit.SECONDS);
        closed.get(10, TimeUnit.SECONDS);
    }
}
