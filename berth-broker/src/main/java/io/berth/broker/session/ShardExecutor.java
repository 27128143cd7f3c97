package io.berth.broker.session;

import io.netty.util.concurrent.SingleThreadEventExecutor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thread of a shard. It runs tasks like Netty's {@code DefaultEventExecutor}, in ticks: a tick runs
 * the tasks that are waiting (at most {@value #TASKS_PER_TICK}), then the shard's end-of-tick work, which
 * hands what the tick collected to the store and to other shards at once (see {@link TickBatch}).
 *
 * <p>Whatever a task throws goes to {@code fatal} (but a refused hand-off to an executor that has
 * stopped, which happens only while the broker closes) (by default it stops the process: see {@code
 * FatalErrors}). Netty's own loop would log it and go on, or end the thread, leaving the shard's sessions
 * in a state no one checked, or hanging forever.
 *
 * <p>Threading: {@link #endOfTick} is set before the first task; everything else is Netty's.
 */
final class ShardExecutor extends SingleThreadEventExecutor {
    static final int TASKS_PER_TICK = 256;

    private static final Logger LOG = LoggerFactory.getLogger(ShardExecutor.class);

    private final Thread.UncaughtExceptionHandler fatal;
    private Runnable endOfTick = () -> {};

    ShardExecutor(ThreadFactory threads, Thread.UncaughtExceptionHandler fatal) {
        super(null, threads, true);
        this.fatal = fatal;
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
                runChecked(task);
                int n = 1;
                while (n < TASKS_PER_TICK && (task = pollTask()) != null) {
                    runChecked(task);
                    n++;
                }
                updateLastExecutionTime();
            }
            runChecked(endOfTick);
            if (confirmShutdown()) {
                break;
            }
        }
    }

    private void runChecked(Runnable task) {
        try {
            task.run();
        } catch (RejectedExecutionException e) {
            // work handed to a shard (or reader) that has already stopped: the broker is closing
            LOG.debug("task refused while the broker closes: {}", e.toString());
        } catch (Throwable t) {
            fatal.uncaughtException(Thread.currentThread(), t);
        }
    }
}
