/**
 * The command line: {@code berth serve} and its options.
 *
 * <p>Threading: runs on the main thread; the broker it starts runs on its own threads.
 */
package io.berth.broker.cli;
