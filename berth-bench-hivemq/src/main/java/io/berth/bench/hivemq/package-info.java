/**
 * Launcher of HiveMQ CE as a benchmark peer, in a JVM and module of its own (HiveMQ CE needs Netty 4.1
 * and RocksDB 8). Threading: HiveMQ's own.
 */
@NullMarked
package io.berth.bench.hivemq;

import org.jspecify.annotations.NullMarked;
