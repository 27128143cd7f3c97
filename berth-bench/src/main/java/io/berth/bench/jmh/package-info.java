/**
 * JMH microbenchmarks of the codec and the topic tree; run with {@code org.openjdk.jmh.Main} on the
 * berth-bench jar and its lib/ folder. Threading: JMH's.
 */
@NullMarked
package io.berth.bench.jmh;

import org.jspecify.annotations.NullMarked;
