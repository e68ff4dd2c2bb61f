package io.etcdkit.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * One PNG per workload (XChart, drawn headless): three bar charts side by side, one bar per client: throughput,
 * client CPU per operation, and latency p50 / p99 / p99.9, for each of the workload's measurements.
 */
final class Charts {
    private static final int WIDTH = 560;
    private static final int HEIGHT = 460;

    private Charts() {
    }

    /** Writes {@code file} for the results of {@code workload}. */
    static void write(Path file, Workload workload, List<Result> results) throws IOException {
        List<String> rows = Report.rows(results);
        Set<String> clients = new LinkedHashSet<>();
        results.forEach(r -> clients.add(r.client()));

        CategoryChart throughput = chart(workload.id() + ": throughput", "operations / s");
        CategoryChart cpu = chart(workload.id() + ": client CPU", "µs per operation");
        CategoryChart latency = chart(workload.id() + ": latency", "µs");
        List<String> latencyCategories = new ArrayList<>();
        for (String row : rows) {
            for (String p : List.of("p50", "p99", "p99.9")) {
                latencyCategories.add(rows.size() > 1 ? row + " " + p : p);
            }
        }
        for (String client : clients) {
            throughput.addSeries(client, rows, values(results, rows, client, Result::opsPerSecond));
            cpu.addSeries(client, rows, values(results, rows, client, Result::cpuMicrosPerOp));
            List<Double> lat = new ArrayList<>();
            for (String row : rows) {
                for (double p : new double[] {50, 99, 99.9}) {
                    lat.addAll(values(results, List.of(row), client, r -> r.latencyMicros(p)));
                }
            }
            latency.addSeries(client, latencyCategories, lat);
        }
        java.nio.file.Files.createDirectories(file.toAbsolutePath().getParent());
        BitmapEncoder.saveBitmap(List.of(throughput, cpu, latency), 1, 3, file.toString(),
                BitmapEncoder.BitmapFormat.PNG);
    }

    private static CategoryChart chart(String title, String yTitle) {
        CategoryChart c = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title).yAxisTitle(yTitle)
                .build();
        c.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        c.getStyler().setXAxisLabelRotation(20);
        c.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        c.getStyler().setDecimalPattern("#,##0.#");
        // values on the bars: measurements of very different scale share a chart (events/s next to puts/s)
        c.getStyler().setLabelsVisible(true);
        c.getStyler().setLabelsRotation(90);
        return c;
    }

    /** One value per row for {@code client}; 0 where it has no result or the value is unknown. */
    private static List<Double> values(List<Result> results, List<String> rows, String client,
            ToDoubleFunction<Result> f) {
        List<Double> out = new ArrayList<>();
        for (String row : rows) {
            double v = Report.find(results, row, client).map(f::applyAsDouble).orElse(0.0);
            out.add(Double.isNaN(v) || Double.isInfinite(v) ? 0.0 : v);
        }
        return out;
    }
}
