/**
 * The store seam: what a session keeps (records), the commands that change it ({@link StoreCommand}),
 * and the {@link SessionStore} interface that commits them. The session code depends only on this
 * package, so a durable store plugs in without changing it.
 *
 * <p>Threading: the records are immutable and cross threads freely. A store implementation says in its
 * javadoc which thread applies commands; callers may submit from any thread.
 */
@NullMarked
package io.berth.broker.store;

import org.jspecify.annotations.NullMarked;
