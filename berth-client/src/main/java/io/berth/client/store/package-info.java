/**
 * The seam where a client keeps its session: {@link io.berth.client.store.ClientSessionStore}, the changes
 * it records ({@link io.berth.client.store.SessionChange}) and what it gives back on start
 * ({@link io.berth.client.store.StoredSession}).
 *
 * <p>Threading: a store is written by its client's event loop only; each implementation says which
 * thread does the writing and on which thread it completes the futures.
 */
@NullMarked
package io.berth.client.store;

import org.jspecify.annotations.NullMarked;
