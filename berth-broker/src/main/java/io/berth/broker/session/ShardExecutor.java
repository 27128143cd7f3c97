package io.berth.broker.session;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thread of a shard: one of the Netty event loops that also serve the connections (ADR 9). A
 * connection is moved to its session's loop at CONNECT, so the handler, the session, its queue and its
 * connection share this thread.
 *
 * <p>The shard works in ticks: a tick is one iteration of the loop (the I/O it read, then its tasks). Work
 * that collects during a tick (store commands, tasks for other shards: see {@link TickBatch}) asks for
 * the end of the tick with {@link #endOfTickNeeded}; the end-of-tick work then runs once, after
 * everything else of the iteration ({@link ShardLoop#afterIteration}, Netty's {@code
 * executeAfterEventLoopIteration}).
 *
 * <p>Whatever a shard task throws goes to {@code fatal} (but a refused hand-off to an executor that has
 * stopped, which happens only while the broker closes) (by default it stops the process: see {@code
 * FatalErrors}). Netty's loop would log it and go on, leaving the shard's sessions in a state no one
 * checked.
 *
 * <p>Threading: {@link #execute} and {@link #schedule} from any thread; the rest on the loop only.
 */
final class ShardExecutor implements Executor {
    private static final Logger LOG = LoggerFactory.getLogger(ShardExecutor.class);

    private final EventExecutor loop;
    private final ShardLoop shardLoop;
    private final Thread.UncaughtExceptionHandler fatal;
    private final Runnable tickEnd = this::runEndOfTick;
    private Runnable endOfTick = () -> {};
    private boolean endOfTickScheduled;

    ShardExecutor(ShardLoop loop, Thread.UncaughtExceptionHandler fatal) {
        this.shardLoop = loop;
        this.loop = loop.executor();
        this.fatal = fatal;
    }

    /** The event loop this shard runs on. */
    EventExecutor loop() {
        return loop;
    }

    /** What runs at the end of a tick in which {@link #endOfTickNeeded} was called, on the loop. */
    void endOfTick(Runnable work) {
        endOfTick = work;
    }

    boolean inEventLoop() {
        return loop.inEventLoop();
    }

    /** Runs {@code task} on the loop, as a task of its own (also when called on the loop). */
    @Override
    public void execute(Runnable task) {
        loop.execute(() -> runChecked(task));
    }

    ScheduledFuture<?> schedule(Runnable task, long delay, TimeUnit unit) {
        return loop.schedule(() -> runChecked(task), delay, unit);
    }

    /** Asks for the end-of-tick work at the end of this loop iteration (once, however often asked). */
    void endOfTickNeeded() {
        assert loop.inEventLoop() : "end of tick asked off the shard";
        if (!endOfTickScheduled) {
            endOfTickScheduled = true;
            shardLoop.afterIteration().accept(tickEnd);
        }
    }

    private void runEndOfTick() {
        // what the end-of-tick work itself asks for is its own business (it hands leftovers to a new tick)
        runChecked(endOfTick);
        endOfTickScheduled = false;
    }

    /** Runs {@code task} now, sending what it throws to the fatal handler. */
    void runChecked(Runnable task) {
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
