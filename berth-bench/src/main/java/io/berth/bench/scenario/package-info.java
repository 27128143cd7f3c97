/**
 * The named, bounded scenarios and their settings and results. Threading: scenarios run on the main thread
 * and hand work to the load generator's event loop; results are immutable records.
 */
@NullMarked
package io.berth.bench.scenario;

import org.jspecify.annotations.NullMarked;
