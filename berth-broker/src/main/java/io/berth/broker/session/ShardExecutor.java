package io.berth.broker.session;

import io.netty.util.concurrent.SingleThreadEventExecutor;
import java.util.concurrent.ThreadFactory;

/**
 * The thread of a shard. It runs tasks like Netty's {@code DefaultEventExecutor}, in ticks: a tick runs
 * the tasks that are waiting (at most {@value #TASKS_PER_TICK}), then the shard's end-of-tick work, which
 * hands what the tick collected to the store and to other shards at once (see {@link TickBatch}).
 *
 * <p>Threading: {@link #endOfTick} is set before the first task; everything else is Netty's.
 */
final class ShardExecutor extends SingleThreadEventExecutor {
    static final int TASKS_PER_TICK = 256;

    private Runnable endOfTick = () -> {};

    ShardExecutor(ThreadFactory threads) {
        super(null, threads, true);
    }

    /** What runs at the end of every tick, on the shard's thread. */
    void endOfTick(Runnable work) {
        endOfTick = work;
    }

    @Override
    protected void run() {
        for (; ; ) {
            Runnable task = takeTask();
            if (task != null) {
                safeExecute(task);
                int n = 1;
                while (n < TASKS_PER_TICK && (task = pollTask()) != null) {
                    safeExecute(task);
                    n++;
                }
                updateLastExecutionTime();
            }
            safeExecute(endOfTick);
            if (confirmShutdown()) {
                break;
            }
        }
    }
}
