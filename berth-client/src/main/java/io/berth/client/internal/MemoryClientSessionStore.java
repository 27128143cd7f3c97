package io.berth.client.internal;

import io.berth.client.store.ClientSessionStore;
import io.berth.client.store.SessionChange;
import io.berth.client.store.StoredSession;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A {@link ClientSessionStore} in memory: the session survives reconnects, not the process.
 *
 * <p>Threading: synchronized, because a test may read it from another thread; appends complete at once on
 * the calling thread (the client's event loop).
 */
public final class MemoryClientSessionStore implements ClientSessionStore {
  private final SessionImage image = new SessionImage();

  @Override
  public synchronized StoredSession load() {
    return image.snapshot();
  }

  @Override
  public synchronized CompletableFuture<Void> append(List<SessionChange> changes) {
    changes.forEach(image::apply);
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public void close() {}
}
