/**
 * The load generator's lean MQTT client on Berth's codec, publishers with a window of unacknowledged
 * messages, and the checks of every delivery (sequence numbers, latency). Threading: everything here runs
 * on the one event loop thread of the load generator, so there are no locks.
 */
@NullMarked
package io.berth.bench.client;

import org.jspecify.annotations.NullMarked;
