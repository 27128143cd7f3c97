/**
 * The markdown report with XChart charts, and a summary of JFR profiles. Threading: the main thread.
 */
@NullMarked
package io.berth.bench.report;

import org.jspecify.annotations.NullMarked;
