package io.berth.broker.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.broker.store.CommitListener;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.apache.ratis.protocol.Message;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ask another node sends before its SUBACK (ADR 16, {@link AppliedBarrier}): a stale read naming a log
 * index is answered once this node's state machine applied that index, not before, and at once when it
 * did already.
 */
class SessionStateMachineQueryTest {
    @TempDir
    Path dir;

    @Test
    void queryStale_answersOnceTheIndexIsApplied_notBefore() throws Exception {
        try (Replica replica = Replica.open(dir.resolve("store"), CommitListener.NONE)) {
            SessionStateMachine machine =
                    new SessionStateMachine(replica, "n1", 1, new LocalView((sessions, request) -> {}));
            machine.updateLastAppliedTermIndex(1, 4);

            CompletableFuture<Message> atSix = machine.queryStale(Message.EMPTY, 6);
            CompletableFuture<Message> atSeven = machine.queryStale(Message.EMPTY, 7);
            assertThat(machine.queryStale(Message.EMPTY, 4)).isCompleted();
            assertThat(atSix).isNotDone();

            machine.updateLastAppliedTermIndex(1, 5);
            assertThat(atSix).isNotDone();

            machine.updateLastAppliedTermIndex(1, 6);
            assertThat(atSix).isCompletedWithValue(Message.EMPTY);
            assertThat(atSeven).isNotDone();

            machine.updateLastAppliedTermIndex(2, 9);
            assertThat(atSeven).isCompletedWithValue(Message.EMPTY);
        }
    }
}
