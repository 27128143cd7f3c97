/**
 * The markdown report with XChart charts, and a summary of JFR profiles. Threading: the main thread.
 */
package io.berth.bench.report;
