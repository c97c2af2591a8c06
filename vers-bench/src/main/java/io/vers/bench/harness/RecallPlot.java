package io.vers.bench.harness;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Draws recall against queries per second, one curve per algorithm, QPS on a logarithmic axis, as a PNG
 * (XChart, headless). The recall axis starts 0.15 below the lowest recall target (rounded down to 0.05), so
 * that the region the targets are about is readable; configurations below that are left out. Stateless.
 */
public final class RecallPlot {
  private RecallPlot() {}

  /** Writes the chart of {@code result} to {@code file} (PNG). */
  public static void write(BenchResult result, Path file) throws IOException {
    System.setProperty("java.awt.headless", "true");
    double floor = floor(result.recallTargets());
    XYChart chart = new XYChartBuilder()
        .width(1000)
        .height(650)
        .title(String.format(Locale.ROOT, "%s (%,d x %d, %s): recall@%d vs QPS, one thread", result.dataset(),
            result.size(), result.dimension(), result.metric().name().toLowerCase(Locale.ROOT), result.k()))
        .xAxisTitle("recall@" + result.k() + (floor > 0 ? String.format(Locale.ROOT, " (from %.2f)", floor) : ""))
        .yAxisTitle("queries per second (log scale)")
        .build();
    XYStyler styler = chart.getStyler();
    styler.setYAxisLogarithmic(true);
    styler.setYAxisLogarithmicDecadeOnly(false);
    styler.setLegendPosition(Styler.LegendPosition.OutsideE);
    styler.setChartBackgroundColor(Color.WHITE);
    styler.setPlotGridLinesVisible(true);
    styler.setXAxisDecimalPattern("0.00");
    styler.setYAxisDecimalPattern("#,###");
    styler.setMarkerSize(6);
    styler.setXAxisMin(floor);
    styler.setXAxisMax(1.0);
    boolean any = false;
    for (AlgorithmResult r : result.algorithms()) {
      List<Measurement> points = r.points().stream()
          .filter(m -> m.qps() > 0 && m.recall() >= floor)
          .sorted(Comparator.comparingDouble(Measurement::recall).thenComparingDouble(m -> -m.qps()))
          .toList();
      if (points.isEmpty()) {
        continue;
      }
      double[] x = points.stream().mapToDouble(Measurement::recall).toArray();
      double[] y = points.stream().mapToDouble(Measurement::qps).toArray();
      XYSeries series = chart.addSeries(r.algorithm() + (r.peer() ? " (peer)" : ""), x, y);
      series.setMarker(SeriesMarkers.CIRCLE);
      series.setLineStyle(r.peer() ? new BasicStroke(1.5f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 10f,
          new float[] {6f, 4f}, 0f) : new BasicStroke(2f));
      any = true;
    }
    if (!any) {
      throw new IllegalStateException(String.format(Locale.ROOT,
          "nothing to plot: no configuration reached recall %.2f", floor));
    }
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    String name = file.getFileName().toString();
    if (!name.toLowerCase(Locale.ROOT).endsWith(".png")) {
      // XChart appends the extension; keep the exact name the user asked for.
      Files.move(Path.of(file + ".png"), file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** Where the recall axis starts: 0.15 below the lowest target, rounded down to 0.05, at least 0. */
  static double floor(List<Double> targets) {
    if (targets.isEmpty()) {
      return 0;
    }
    double lowest = targets.stream().mapToDouble(Double::doubleValue).min().orElse(0);
    return Math.max(0, Math.floor((lowest - 0.15) * 20 + 1e-9) / 20);
  }
}
