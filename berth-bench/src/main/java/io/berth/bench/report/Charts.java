package io.berth.bench.report;

import io.berth.bench.scenario.Result;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/** PNG bar charts of the results, drawn with XChart (headless). */
final class Charts {
    private static final int WIDTH = 800;
    private static final int HEIGHT = 420;

    private Charts() {}

    /** One bar per peer: {@code figure} of the results (NaN ones left out). */
    static boolean bars(Path file, String title, String figure, List<Result> results) throws IOException {
        List<String> peers = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        for (Result r : results) {
            double v = r.figure(figure);
            if (!Double.isNaN(v)) {
                peers.add(r.peer());
                values.add(v);
            }
        }
        if (peers.isEmpty()) {
            return false;
        }
        CategoryChart chart = chart(title, figure);
        chart.addSeries(figure, peers, values);
        chart.getStyler().setLegendVisible(false);
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
        return true;
    }

    /** Bars grouped by peer, one series per figure (e.g. latency percentiles). */
    static boolean grouped(Path file, String title, String axis, List<String> figures, List<Result> results)
            throws IOException {
        List<String> peers = new ArrayList<>();
        for (Result r : results) {
            if (!r.figures().isEmpty()) {
                peers.add(r.peer());
            }
        }
        if (peers.isEmpty()) {
            return false;
        }
        CategoryChart chart = chart(title, axis);
        for (String figure : figures) {
            List<Double> values = new ArrayList<>();
            for (Result r : results) {
                if (!r.figures().isEmpty()) {
                    double v = r.figure(figure);
                    values.add(Double.isNaN(v) ? 0.0 : v);
                }
            }
            chart.addSeries(figure, peers, values);
        }
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
        return true;
    }

    private static CategoryChart chart(String title, String yTitle) {
        System.setProperty("java.awt.headless", "true");
        CategoryChart chart = new CategoryChartBuilder()
                .width(WIDTH)
                .height(HEIGHT)
                .title(title)
                .yAxisTitle(yTitle)
                .build();
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        chart.getStyler().setLabelsVisible(true);
        chart.getStyler().setYAxisDecimalPattern("#,###.##");
        return chart;
    }
}
