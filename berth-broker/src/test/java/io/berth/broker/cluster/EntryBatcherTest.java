package io.berth.broker.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.broker.store.StoreCommand;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The joining of store submissions into log entries, with entries completed by hand. */
class EntryBatcherTest {
    /** What was sent, in order: the commands of an entry, or "claim". */
    private final List<Object> sent = new ArrayList<>();

    private final List<CompletableFuture<Void>> entries = new ArrayList<>();

    private final EntryBatcher batcher = new EntryBatcher(
            commands -> {
                sent.add(commands);
                CompletableFuture<Void> f = new CompletableFuture<>();
                entries.add(f);
                return f;
            },
            Runnable::run);

    private static StoreCommand session(String id) {
        return new StoreCommand.DeleteSession(id);
    }

    private CompletableFuture<Void> claim() {
        return batcher.claim(() -> {
            sent.add("claim");
            CompletableFuture<Void> f = new CompletableFuture<>();
            entries.add(f);
            return f;
        });
    }

    @Test
    void submissions_whileEntriesAreOnTheirWay_goAsOneEntryInOrder_completedWithIt() {
        CompletableFuture<Void> a = batcher.submit(List.of(session("a")));
        CompletableFuture<Void> b = batcher.submit(List.of(session("b")));
        CompletableFuture<Void> c = batcher.submit(List.of(session("c"), session("c2")));
        CompletableFuture<Void> d = batcher.submit(List.of(session("d")));

        // two on their way at once; c and d wait
        assertThat(sent).hasSize(EntryBatcher.MAX_IN_FLIGHT);
        entries.get(0).complete(null);
        assertThat(a).isCompleted();
        assertThat(sent).hasSize(3);
        assertThat(sent.get(2)).isEqualTo(List.of(session("c"), session("c2"), session("d")));
        assertThat(c).isNotCompleted();

        entries.get(2).complete(null);
        assertThat(c).isCompleted();
        assertThat(d).isCompleted();
        assertThat(b).isNotCompleted(); // its own entry is not applied yet
        entries.get(1).complete(null);
        assertThat(b).isCompleted();
    }

    @Test
    void claim_keepsItsPlaceInTheLine_andIsAnEntryOfItsOwn() {
        batcher.submit(List.of(session("a")));
        batcher.submit(List.of(session("b")));
        CompletableFuture<Void> before = batcher.submit(List.of(session("c")));
        CompletableFuture<Void> claimed = claim();
        CompletableFuture<Void> after = batcher.submit(List.of(session("d")));

        entries.get(0).complete(null);
        entries.get(1).complete(null);
        assertThat(sent).containsExactly(List.of(session("a")), List.of(session("b")), List.of(session("c")), "claim");
        entries.get(3).complete(null);
        assertThat(claimed).isCompleted();
        assertThat(before).isNotCompleted();
        assertThat(sent.get(4)).isEqualTo(List.of(session("d")));
        entries.get(4).complete(null);
        assertThat(after).isCompleted();
    }

    @Test
    void failedEntry_failsItsSubmissionsOnly_andTheLineGoesOn() {
        batcher.submit(List.of(session("a")));
        batcher.submit(List.of(session("b")));
        CompletableFuture<Void> c = batcher.submit(List.of(session("c")));
        CompletableFuture<Void> d = batcher.submit(List.of(session("d")));
        entries.get(0).completeExceptionally(new IllegalStateException("no majority"));
        CompletableFuture<Void> e = batcher.submit(List.of(session("e")));

        entries.get(1).complete(null);
        entries.get(2).completeExceptionally(new IllegalStateException("rejected"));
        assertThat(c).isCompletedExceptionally();
        assertThat(d).isCompletedExceptionally();
        assertThat(e).isNotCompleted();
        entries.get(3).complete(null);
        assertThat(e).isCompleted();
    }

    @Test
    void entry_holdsAtMostMaxCommands() {
        batcher.submit(List.of(session("a")));
        batcher.submit(List.of(session("b")));
        List<StoreCommand> big = new ArrayList<>();
        for (int i = 0; i < EntryBatcher.MAX_COMMANDS; i++) {
            big.add(session("x" + i));
        }
        batcher.submit(List.of(session("c")));
        batcher.submit(big);
        entries.get(0).complete(null);
        entries.get(1).complete(null);
        assertThat(sent.get(2)).isEqualTo(List.of(session("c")));
        assertThat(sent.get(3)).isEqualTo(big);
    }

    @Test
    void submissions_thatArriveBeforeTheSenderRuns_joinTheEntryItSends() {
        List<Runnable> senderQueue = new ArrayList<>();
        EntryBatcher later = new EntryBatcher(
                commands -> {
                    sent.add(commands);
                    CompletableFuture<Void> f = new CompletableFuture<>();
                    entries.add(f);
                    return f;
                },
                senderQueue::add);
        CompletableFuture<Void> a = later.submit(List.of(session("a")));
        CompletableFuture<Void> b = later.submit(List.of(session("b")));
        assertThat(sent).isEmpty(); // nothing is sent on the submitting thread
        assertThat(senderQueue).hasSize(1); // one send task, whatever waits

        senderQueue.remove(0).run();
        assertThat(sent).containsExactly(List.of(session("a"), session("b")));
        CompletableFuture<Void> c = later.submit(List.of(session("c")));
        CompletableFuture<Void> d = later.submit(List.of(session("d")));
        assertThat(senderQueue).hasSize(1);
        senderQueue.remove(0).run();
        assertThat(sent.get(1)).isEqualTo(List.of(session("c"), session("d")));

        CompletableFuture<Void> e = later.submit(List.of(session("e")));
        assertThat(senderQueue).isEmpty(); // no room: two entries on their way
        entries.get(0).complete(null);
        assertThat(a).isCompleted();
        assertThat(b).isCompleted();
        senderQueue.remove(0).run();
        assertThat(sent.get(2)).isEqualTo(List.of(session("e")));
        entries.get(1).complete(null);
        entries.get(2).complete(null);
        assertThat(c).isCompleted();
        assertThat(d).isCompleted();
        assertThat(e).isCompleted();
    }
}
