package io.berth.broker.transport;

import io.berth.broker.session.ShardLoop;
import io.berth.codec.transport.NettyTransport;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SingleThreadEventLoop;
import io.netty.channel.SingleThreadIoEventLoop;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The broker's event loops (native epoll or NIO: {@link NettyTransport}): one group serves the connections
 * and the session shards, shard {@code i} on loop {@code i} (ADR 9). A connection is accepted on any loop
 * and moves to its session's at CONNECT.
 *
 * <p>Threading: built and closed by the owner of the broker; the loops are Netty's. While closing, each
 * loop counts the tasks handed to it ({@link CountingLoop}), so that {@link #close} can tell when the
 * hand-offs between them have ended.
 */
public final class EventLoops implements AutoCloseable {
    /** How long {@link #close} lets the hand-offs between the loops run before it stops them anyway. */
    private static final long SETTLE_MILLIS = 5_000;
    /** How many rounds in a row must find every loop idle before {@link #close} stops them. */
    private static final int QUIET_ROUNDS = 2;

    private final MultiThreadIoEventLoopGroup group;

    public EventLoops(int count) {
        group = new CountingGroup(
                count,
                new DefaultThreadFactory("berth-loop", true),
                NettyTransport.get().ioHandlerFactory());
    }

    /** The loops in order, for the shards. */
    public List<ShardLoop> shardLoops() {
        List<ShardLoop> loops = new ArrayList<>();
        for (EventExecutor e : group) {
            SingleThreadEventLoop loop = (SingleThreadEventLoop) e;
            loops.add(new ShardLoop(loop, loop::executeAfterEventLoopIteration));
        }
        return loops;
    }

    /** The group, for the listeners' connections. */
    EventLoopGroup group() {
        return group;
    }

    /**
     * Stops the loops once the work handed between them has settled ({@link #settle}); then at once,
     * with no quiet period. (Netty's quiet period made each loop sleep 100 ms at least, for every broker
     * closed, and did not keep such chains: a loop that slept through it stopped while another was still
     * handing it work.) A task another thread hands over after that (a store completion, a store read) is
     * refused: the broker is closing, and the shards log the refusal at debug level.
     */
    @Override
    public void close() {
        settle();
        group.shutdownGracefully(0, 5_000, TimeUnit.MILLISECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
    }

    /**
     * Runs the tasks the loops hand each other to their end, so that the work of the connections just
     * closed (a session on one loop telling shards on others) is done before the loops stop: rounds of a
     * marker at the end of an iteration of every loop, until {@link #QUIET_ROUNDS} rounds in a row are
     * quiet, or {@link #SETTLE_MILLIS} passed.
     *
     * <p>A round is quiet when no task but its markers was handed to any loop from before its markers
     * were sent until all of them answered, and each marker found no task waiting on its loop. Why that
     * proves the chains ended: a loop runs its marker after every task it held when the marker came, and
     * after the ends of their iterations, so each hand-off those tasks made was made before the marker
     * answered, and counted; a task queued behind the marker at the end of its iteration is waiting, and
     * the marker sees it. (Looking only for waiting tasks, as this did before, could not see a task that
     * was running: under load, rounds in a row found nothing waiting while a chain still ran, and cut it.)
     */
    private void settle() {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SETTLE_MILLIS);
        for (EventExecutor e : group) {
            ((CountingLoop) e).counting = true;
        }
        int quietRounds = 0;
        while (!group.isShuttingDown() && quietRounds < QUIET_ROUNDS && System.nanoTime() < deadline) {
            long handedBefore = handed();
            List<Future<Boolean>> marks = new ArrayList<>();
            for (EventExecutor e : group) {
                SingleThreadEventLoop loop = (SingleThreadEventLoop) e;
                Promise<Boolean> mark = loop.newPromise();
                loop.execute(
                        () -> loop.executeAfterEventLoopIteration(() -> mark.setSuccess(loop.pendingTasks() == 0)));
                marks.add(mark);
            }
            boolean quiet = true;
            for (Future<Boolean> mark : marks) {
                mark.awaitUninterruptibly(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                quiet &= Boolean.TRUE.equals(mark.getNow());
            }
            quiet &= handed() - handedBefore == marks.size();
            quietRounds = quiet ? quietRounds + 1 : 0;
        }
    }

    /** How many tasks were handed to the loops so far. */
    private long handed() {
        long handed = 0;
        for (EventExecutor e : group) {
            handed += ((CountingLoop) e).handed.get();
        }
        return handed;
    }

    /** The group of {@link CountingLoop}s. */
    private static final class CountingGroup extends MultiThreadIoEventLoopGroup {
        CountingGroup(int count, ThreadFactory threads, IoHandlerFactory io) {
            super(count, threads, io);
        }

        @Override
        protected IoEventLoop newChild(Executor executor, IoHandlerFactory io, Object... args) {
            return new CountingLoop(this, executor, io);
        }
    }

    /**
     * A loop that counts the tasks handed to it, from any thread, once {@link EventLoops#close} has begun.
     * Before that a hand-off only reads a flag, so the path of a message is as it was without the count.
     * A hand-off that read the flag before it was set is still seen: its task waits, or runs before the
     * marker of a later round, and whatever it hands on is counted.
     */
    private static final class CountingLoop extends SingleThreadIoEventLoop {
        private final AtomicLong handed = new AtomicLong();
        /** Set when {@link EventLoops#close} begins: until then a hand-off costs nothing more. */
        private volatile boolean counting;

        CountingLoop(IoEventLoopGroup group, Executor executor, IoHandlerFactory io) {
            super(group, executor, io);
        }

        @Override
        public void execute(Runnable task) {
            if (counting) {
                handed.incrementAndGet();
            }
            super.execute(task);
        }

        @Override
        public void lazyExecute(Runnable task) {
            if (counting) {
                handed.incrementAndGet();
            }
            super.lazyExecute(task);
        }
    }
}
