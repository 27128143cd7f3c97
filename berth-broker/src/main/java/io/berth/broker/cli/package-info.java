/**
 * The command line: {@code berth serve} and its options.
 *
 * <p>Threading: runs on the main thread; the broker it starts runs on its own threads.
 */
@NullMarked
package io.berth.broker.cli;

import org.jspecify.annotations.NullMarked;
