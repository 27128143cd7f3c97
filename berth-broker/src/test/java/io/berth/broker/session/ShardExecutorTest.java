package io.berth.broker.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SingleThreadEventLoop;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A shard on a Netty event loop: fatal errors reach the handler; the end of a tick runs once per tick. */
class ShardExecutorTest {
    private final MultiThreadIoEventLoopGroup loops = new MultiThreadIoEventLoopGroup(
            1, new DefaultThreadFactory("berth-loop-test", true), NioIoHandler.newFactory());
    private final LinkedBlockingQueue<String> fatal = new LinkedBlockingQueue<>();
    private final SingleThreadEventLoop loop = (SingleThreadEventLoop) loops.next();
    private final ShardExecutor shard = new ShardExecutor(
            new ShardLoop(loop, loop::executeAfterEventLoopIteration),
            (thread, error) -> fatal.add(thread.getName() + ": " + error));

    @AfterEach
    void stop() {
        loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    @Test
    void errorInATask_goesToTheFatalHandler_withTheLoopThread() throws Exception {
        shard.execute(() -> {
            throw new OutOfMemoryError("Java heap space");
        });
        assertThat(fatal.poll(10, TimeUnit.SECONDS))
                .startsWith("berth-loop-test")
                .endsWith("java.lang.OutOfMemoryError: Java heap space");
        shard.schedule(
                () -> {
                    throw new IllegalStateException("bug");
                },
                1,
                TimeUnit.MILLISECONDS);
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
    }

    @Test
    void endOfTick_runsOnceAfterTheTasksOfTheTickThatAskedForIt() {
        List<String> order = new CopyOnWriteArrayList<>();
        shard.endOfTick(() -> order.add("end"));
        shard.execute(() -> {
            // both tasks are waiting already: they run in one iteration of the loop
            shard.loop().execute(() -> {
                order.add("a");
                shard.endOfTickNeeded();
            });
            shard.loop().execute(() -> {
                order.add("b");
                shard.endOfTickNeeded();
            });
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> order.contains("end"));
        assertThat(order).containsExactly("a", "b", "end");
        shard.execute(() -> order.add("c")); // asks for nothing: no end of tick
        shard.execute(shard::endOfTickNeeded);
        await().atMost(Duration.ofSeconds(10)).until(() -> order.size() == 5);
        assertThat(order).containsExactly("a", "b", "end", "c", "end");
    }
}
