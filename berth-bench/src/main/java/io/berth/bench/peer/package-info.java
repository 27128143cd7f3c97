/**
 * Brokers under test: Berth, Mosquitto and HiveMQ CE as child processes (Berth also embedded, for the smoke
 * test), and probes of their memory and CPU. Threading: the benchmark's main thread.
 */
@NullMarked
package io.berth.bench.peer;

import org.jspecify.annotations.NullMarked;
