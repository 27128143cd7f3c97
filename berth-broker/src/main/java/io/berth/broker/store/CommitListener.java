package io.berth.broker.store;

/**
 * Told of every group commit of a durable store: how many commands it held and how long the write and
 * its sync took. The metrics' commit batch size and fsync latency come from here.
 *
 * <p>Threading: called on the store's committer thread; must not block.
 */
@FunctionalInterface
public interface CommitListener {
  CommitListener NONE = (commands, nanos) -> {};

  void committed(int commands, long nanos);
}
