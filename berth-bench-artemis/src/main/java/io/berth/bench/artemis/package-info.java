/**
 * ActiveMQ Artemis embedded as a durable peer of berth-bench, in a JVM of its own. Threading: the main
 * thread starts the server and waits; Artemis runs its own threads.
 */
@NullMarked
package io.berth.bench.artemis;

import org.jspecify.annotations.NullMarked;
