/**
 * The in-memory {@link io.berth.broker.store.SessionStore}: for tests, for sessions that end with their
 * connection, and for {@code --durability memory}. It survives nothing.
 *
 * <p>Threading: every method is synchronized on the store; any thread may call.
 */
@NullMarked
package io.berth.broker.store.memory;

import org.jspecify.annotations.NullMarked;
