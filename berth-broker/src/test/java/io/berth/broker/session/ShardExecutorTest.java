package io.berth.broker.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A throwable escaping a shard task reaches the fatal handler instead of silently ending the shard. */
class ShardExecutorTest {
    @Test
    void errorInATask_goesToTheFatalHandler_withTheShardThread() throws Exception {
        LinkedBlockingQueue<String> fatal = new LinkedBlockingQueue<>();
        ShardExecutor shard = new ShardExecutor(
                new io.netty.util.concurrent.DefaultThreadFactory("berth-shard-test", true),
                (thread, error) -> fatal.add(thread.getName() + ": " + error));
        try {
            shard.execute(() -> {
                throw new OutOfMemoryError("Java heap space");
            });
            assertThat(fatal.poll(10, TimeUnit.SECONDS))
                    .startsWith("berth-shard-test")
                    .endsWith("java.lang.OutOfMemoryError: Java heap space");
            shard.execute(() -> {
                throw new IllegalStateException("bug");
            });
            assertThat(fatal.poll(10, TimeUnit.SECONDS)).endsWith("java.lang.IllegalStateException: bug");
            // a hand-off refused by a stopped executor only happens while the broker closes: not fatal
            shard.execute(() -> {
                throw new java.util.concurrent.RejectedExecutionException("event executor terminated");
            });
            // the handler decides; the thread itself did not die with the task
            boolean[] ran = {false};
            shard.execute(() -> ran[0] = true);
            await().atMost(Duration.ofSeconds(10)).until(() -> ran[0]);
            assertThat(fatal).isEmpty();
        } finally {
            shard.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }
}
