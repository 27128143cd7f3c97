/**
 * The broker and its embedding API, {@link Berth}: wires configuration, store, sessions and the network
 * by hand.
 *
 * <p>Threading: {@link Berth#start} and {@link Berth#close} are called by the embedding application's
 * thread; everything else runs on the shards and event loops they create.
 */
@NullMarked
package io.berth.broker;

import org.jspecify.annotations.NullMarked;
