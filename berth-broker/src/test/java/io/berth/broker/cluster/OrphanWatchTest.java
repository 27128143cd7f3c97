package io.berth.broker.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link OrphanWatch} with a fake group and a controlled clock: who adopts what, and when. */
class OrphanWatchTest {
    private static final long GRACE_MILLIS = 5_000;

    private final Fake group = new Fake();
    private long now;
    private final OrphanWatch watch = new OrphanWatch("n1", GRACE_MILLIS, () -> now, group);

    @AfterEach
    void close() {
        watch.close();
    }

    private static final class Fake implements OrphanWatch.Group {
        volatile boolean leading = true;
        volatile boolean n2Alive = true;
        final List<String> adopted = new CopyOnWriteArrayList<>();
        final List<String> served = new CopyOnWriteArrayList<>();

        @Override
        public boolean attached() {
            return true;
        }

        @Override
        public boolean inTouch() {
            return true;
        }

        @Override
        public GroupStatus status() {
            List<GroupStatus.Member> members = List.of(
                    new GroupStatus.Member("n1", "127.0.0.1:7001", leading ? "leader" : "self", null, 0, 0, 0),
                    new GroupStatus.Member("n2", "127.0.0.1:7002", "follower", leading ? n2Alive : null, 0, 0, 0),
                    new GroupStatus.Member("n3", "127.0.0.1:7003", "follower", leading ? true : null, 0, 0, 0));
            return new GroupStatus(
                    "n1", "g", leading ? "leader" : "follower", leading ? "n1" : "n3", 1, 0, 0, -1, 0, false, members);
        }

        @Override
        public Set<String> owningNodes() {
            return Set.of("n1", "n2", "n3");
        }

        @Override
        public CompletableFuture<List<String>> adopt(String from) {
            adopted.add(from);
            return CompletableFuture.completedFuture(List.of("client-of-" + from));
        }

        @Override
        public void serve(List<String> clientIds) {
            served.addAll(clientIds);
        }
    }

    private void at(long millis) {
        now = TimeUnit.MILLISECONDS.toNanos(millis);
        watch.check();
    }

    @Test
    void aNodeStarting_adoptsItsOwnFormerSessionsOnce() {
        at(0);
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> group.served.contains("client-of-n1"));
        at(100);
        at(200);
        assertThat(group.adopted).containsExactly("n1");
    }

    @Test
    void theLeader_adoptsTheSessionsOfAMemberUnheardOfForTheGrace_notBefore() {
        at(0);
        group.n2Alive = false;
        at(1_000);
        at(1_000 + GRACE_MILLIS - 1);
        assertThat(group.adopted).doesNotContain("n2");
        at(1_000 + GRACE_MILLIS);
        assertThat(group.adopted).contains("n2").doesNotContain("n3");
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> group.served.contains("client-of-n2"));
    }

    @Test
    void aMemberHeardFromAgainWithinTheGrace_keepsItsSessions_andTheCountStartsAfresh() {
        at(0);
        group.n2Alive = false;
        at(1_000);
        group.n2Alive = true;
        at(1_000 + GRACE_MILLIS - 1);
        group.n2Alive = false;
        at(1_000 + GRACE_MILLIS);
        at(1_000 + 2 * GRACE_MILLIS - 1);
        assertThat(group.adopted).doesNotContain("n2");
        at(1_000 + 2 * GRACE_MILLIS);
        assertThat(group.adopted).contains("n2");
    }

    @Test
    void aFollower_adoptsNoOtherMembersSessions() {
        group.leading = false;
        at(0);
        at(10 * GRACE_MILLIS);
        assertThat(group.adopted).containsExactly("n1");
    }
}
