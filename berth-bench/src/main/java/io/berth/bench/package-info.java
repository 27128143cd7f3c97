/**
 * Benchmarks of Berth against other MQTT brokers: {@link io.berth.bench.BenchMain} runs named scenarios
 * against peers started as child processes and writes the report. Threading: the main thread drives; all
 * load generator clients share one Netty event loop thread.
 */
@NullMarked
package io.berth.bench;

import org.jspecify.annotations.NullMarked;
