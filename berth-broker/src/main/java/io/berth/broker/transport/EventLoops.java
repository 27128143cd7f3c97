package io.berth.broker.transport;

import io.berth.broker.session.ShardLoop;
import io.berth.codec.transport.NettyTransport;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SingleThreadEventLoop;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The broker's event loops (native epoll or NIO: {@link NettyTransport}): one group serves the connections and the session shards, shard
 * {@code i} on loop {@code i} (ADR 9). A connection is accepted on any loop and moves to its session's
 * at CONNECT.
 *
 * <p>Threading: built and closed by the owner of the broker; the loops are Netty's.
 */
public final class EventLoops implements AutoCloseable {
    /** How long {@link #close} lets the hand-offs between the loops run before it stops them anyway. */
    private static final long SETTLE_MILLIS = 5_000;
    /** How many rounds in a row must find every loop idle before {@link #close} stops them. */
    private static final int QUIET_ROUNDS = 3;

    private final MultiThreadIoEventLoopGroup group;

    public EventLoops(int count) {
        group = new MultiThreadIoEventLoopGroup(
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
     * marker at the end of an iteration of every loop, until {@link #QUIET_ROUNDS} rounds in a row find no
     * loop with a task waiting, or {@link #SETTLE_MILLIS} passed. A hand-off made before a round's marker
     * is waiting, or has run, when that round ends; one made as a round ends shows in a later round (only
     * a chain caught between two hops at every one of those checks is cut).
     */
    private void settle() {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SETTLE_MILLIS);
        int quietRounds = 0;
        while (!group.isShuttingDown() && quietRounds < QUIET_ROUNDS && System.nanoTime() < deadline) {
            List<Future<?>> marks = new ArrayList<>();
            for (EventExecutor e : group) {
                SingleThreadEventLoop loop = (SingleThreadEventLoop) e;
                Promise<Void> mark = loop.newPromise();
                loop.execute(() -> loop.executeAfterEventLoopIteration(() -> mark.setSuccess(null)));
                marks.add(mark);
            }
            for (Future<?> mark : marks) {
                mark.awaitUninterruptibly(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
            boolean waiting = false;
            for (EventExecutor e : group) {
                waiting |= ((SingleThreadEventLoop) e).pendingTasks() > 0;
            }
            quietRounds = waiting ? 0 : quietRounds + 1;
        }
    }
}
