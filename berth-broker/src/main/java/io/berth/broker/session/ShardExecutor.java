package io.berth.broker.session;

import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.SingleThreadEventExecutor;

/**
 * A shard's single thread, as Netty's {@code DefaultEventExecutor} but for one thing. Netty's executor lets a throwable escape its loop and then ends the thread
 * with a warning, after which every task for the shard waits forever; here whatever a task throws goes
 * to {@code fatal} instead (by default it stops the process: see {@code FatalErrors}).
 *
 * <p>Threading: the executor's own thread runs the loop.
 */
final class ShardExecutor extends SingleThreadEventExecutor {
    private final Thread.UncaughtExceptionHandler fatal;

    ShardExecutor(String name, Thread.UncaughtExceptionHandler fatal) {
        super(null, new DefaultThreadFactory(name, true), true);
        this.fatal = fatal;
    }

    @Override
    protected void run() {
        while (true) {
            Runnable task = takeTask();
            if (task != null) {
                try {
                    task.run();
                } catch (Throwable t) {
                    fatal.uncaughtException(Thread.currentThread(), t);
                }
                updateLastExecutionTime();
            }
            if (confirmShutdown()) {
                break;
            }
        }
    }
}
