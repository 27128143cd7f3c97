package io.berth.broker.store.rocksdb;

import io.berth.broker.store.CommitListener;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit. Submitters put their encoded ops on a queue; one thread takes everything that is
 * waiting (up to {@link #MAX_GROUP}), writes it as one {@link WriteBatch} with the store's
 * {@link WriteOptions} (sync = fsync of the WAL), and only then completes the futures. While a write is
 * on disk, new submissions pile up and become the next, larger batch: batches grow with the load by
 * themselves, and an idle committer blocks on the queue with no timer.
 *
 * <p>A failed write (I/O error, disk full) completes the futures of that batch exceptionally and leaves
 * the committer's state as the disk is; the next batch is written afresh.
 *
 * <p>Threading: the committer thread owns the write batch, the {@link CommitterState} and every write
 * to the database. Futures are completed on it: dependents must hand their work to their own executor
 * rather than run on this thread.
 */
final class Committer implements Runnable {
  static final int MAX_GROUP = 4096;
  private static final Logger LOG = LoggerFactory.getLogger(Committer.class);

  /** Encoded ops of one {@code submit} and the future that reports them. */
  record Pending(List<Op> ops, CompletableFuture<Void> future) {}

  private static final Pending STOP = new Pending(List.of(), new CompletableFuture<>());

  private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
  private final RocksDB db;
  private final Handles handles;
  private final CommitterState state;
  private final WriteOptions writeOptions;
  private final BatchWriter writer;
  private final Thread thread;
  private final CommitListener listener;
  private final Object lifecycle = new Object();
  private boolean stopping;
  private volatile long batches;
  private volatile long commands;

  Committer(
      RocksDB db, Handles handles, CommitterState state, WriteOptions writeOptions, BatchWriter writer, String name,
      CommitListener listener) {
    this.listener = listener;
    this.db = db;
    this.handles = handles;
    this.state = state;
    this.writeOptions = writeOptions;
    this.writer = writer;
    this.thread = new Thread(this, name);
    this.thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  /** Queues ops for the next batch; any thread. */
  CompletableFuture<Void> submit(List<Op> ops) {
    CompletableFuture<Void> future = new CompletableFuture<>();
    synchronized (lifecycle) {
      if (stopping) {
        future.completeExceptionally(new IllegalStateException("the store is closed"));
        return future;
      }
      queue.add(new Pending(ops, future));
    }
    return future;
  }

  /** Commits what was submitted before, then stops the thread; idempotent. */
  void stop() {
    synchronized (lifecycle) {
      if (!stopping) {
        stopping = true;
        queue.add(STOP);
      }
    }
    boolean interrupted = false;
    while (thread.isAlive()) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void run() {
    List<Pending> group = new ArrayList<>();
    boolean stop = false;
    while (!stop) {
      try {
        group.add(queue.take());
      } catch (InterruptedException e) {
        continue;
      }
      queue.drainTo(group, MAX_GROUP - 1);
      if (group.get(group.size() - 1) == STOP) {
        group.remove(group.size() - 1);
        stop = true;
      }
      if (!group.isEmpty()) {
        commit(group);
      }
      group.clear();
    }
  }

  private void commit(List<Pending> group) {
    int count = 0;
    for (Pending p : group) {
      count += p.ops().size();
    }
    try (WriteBatch batch = new WriteBatch()) {
      BatchBuilder builder = new BatchBuilder(db, handles, state, batch);
      for (Pending p : group) {
        for (Op op : p.ops()) {
          builder.apply(op);
        }
      }
      builder.finish();
      long begin = System.nanoTime();
      writer.write(writeOptions, batch);
      listener.committed(count, System.nanoTime() - begin);
      builder.publish();
    } catch (RocksDBException | RuntimeException e) {
      LOG.error("store write of {} commands failed; none of them is acknowledged", count, e);
      for (Pending p : group) {
        p.future().completeExceptionally(e);
      }
      return;
    }
    batches = batches + 1;
    commands = commands + count;
    for (Pending p : group) {
      p.future().complete(null);
    }
  }

  /** Batches and commands committed so far; approximate when read from another thread. */
  String stats() {
    return batches + " batches, " + commands + " commands";
  }
}
