/**
 * Metrics: counters, gauges and histograms of the broker in one Micrometer registry, served in
 * Prometheus text format by the admin listener.
 *
 * <p>Threading: Micrometer meters and the atomic counters here are safe to update from any thread.
 */
@NullMarked
package io.berth.broker.metrics;

import org.jspecify.annotations.NullMarked;
