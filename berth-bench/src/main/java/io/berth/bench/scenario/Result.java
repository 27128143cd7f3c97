package io.berth.bench.scenario;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The figures of one scenario on one peer, in the order they are shown, with the message checks.
 *
 * @param figures name (with unit) to value; NaN when not applicable
 * @param checks lost / duplicate / out-of-order counts in words
 * @param clean true when nothing was lost, duplicated or reordered
 * @param note anything a reader must know (a time limit hit, a failure)
 * @param loadAverage the machine's load average when the run ended
 */
public record Result(
        String scenario,
        String peer,
        Map<String, Double> figures,
        String checks,
        boolean clean,
        String note,
        String loadAverage) {

    public Result {
        figures = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(figures));
    }

    public double figure(String name) {
        return figures.getOrDefault(name, Double.NaN);
    }

    /** A result for a peer that could not run the scenario. */
    public static Result failed(String scenario, String peer, String why, String loadAverage) {
        return new Result(scenario, peer, Map.of(), "not run", false, why, loadAverage);
    }

    /** One line for the console. */
    public String line() {
        StringBuilder b = new StringBuilder(scenario + " on " + peer + ":");
        figures.forEach((k, v) -> b.append(' ').append(k).append('=').append(format(v)));
        b.append(" | ").append(checks);
        if (!note.isEmpty()) {
            b.append(" | ").append(note);
        }
        return b.append(" | load ").append(loadAverage).toString();
    }

    public static String format(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        if (Math.abs(v) >= 100 || v == Math.rint(v)) {
            return String.format("%,.0f", v);
        }
        return String.format(Math.abs(v) >= 10 ? "%.1f" : "%.2f", v);
    }
}
