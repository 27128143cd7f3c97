package io.berth.broker.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.broker.store.CommitListener;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.ratis.protocol.Message;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ask another node sends before its SUBACK (ADR 16, {@link AppliedBarrier}): a stale read naming a log
 * index is answered with the index this node applied, once it applied the index asked for and not before,
 * at once when it did already, and after a while with where it stands when it does not get there.
 */
class SessionStateMachineQueryTest {
    @TempDir
    Path dir;

    private static long applied(CompletableFuture<Message> answer) {
        return AppliedAsks.appliedIn(answer.join());
    }

    @Test
    void queryStale_answersOnceTheIndexIsApplied_notBefore() throws Exception {
        try (Replica replica = Replica.open(dir.resolve("store"), CommitListener.NONE)) {
            SessionStateMachine machine =
                    new SessionStateMachine(replica, "n1", 1, new LocalView((sessions, request) -> {}));
            machine.updateLastAppliedTermIndex(1, 4);

            CompletableFuture<Message> atSix = machine.queryStale(AppliedAsks.askFor(6), 0);
            CompletableFuture<Message> atSeven = machine.queryStale(Message.EMPTY, 7); // the stale read's own index
            assertThat(applied(machine.queryStale(AppliedAsks.askFor(4), 0))).isEqualTo(4);
            assertThat(atSix).isNotDone();

            machine.updateLastAppliedTermIndex(1, 5);
            assertThat(atSix).isNotDone();

            machine.updateLastAppliedTermIndex(1, 6);
            assertThat(applied(atSix)).isEqualTo(6);
            assertThat(atSeven).isNotDone();

            machine.updateLastAppliedTermIndex(2, 9);
            assertThat(applied(atSeven)).isEqualTo(9);
        }
    }

    @Test
    void ask_forAnIndexNotReached_isAnsweredAfterTheHold_withTheIndexApplied() {
        AtomicLong at = new AtomicLong(3);
        AppliedAsks asks = new AppliedAsks(at::get, 100);

        CompletableFuture<Message> answer = asks.ask(AppliedAsks.askFor(10), 0);
        at.set(5);
        asks.moved(5);

        // not there after the hold: the answer says where this node stands, so the asker sees it move on
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(answer::isDone);
        assertThat(applied(answer)).isEqualTo(5);

        // a later move to the index answers nothing twice, and a new ask is answered at once
        at.set(10);
        asks.moved(10);
        assertThat(applied(asks.ask(AppliedAsks.askFor(10), 0))).isEqualTo(10);
    }
}
