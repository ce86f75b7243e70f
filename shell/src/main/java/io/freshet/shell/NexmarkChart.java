package io.freshet.shell;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * The runner's chart: events per second per core for each query, Freshet's beside the published figures of other
 * engines ({@code bench/nexmark/published.csv}: {@code engine,query,events per second per core}), as a PNG bar
 * chart on a logarithmic axis. A query another engine has no figure for shows no bar of that engine.
 */
final class NexmarkChart {
  private static final Color[] COLORS = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c),
      new Color(0x9467bd)};

  private NexmarkChart() {
  }

  /**
   * Draws {@code ours} (query → events/s per core, in the order to show) and the published figures in
   * {@code published} into {@code png}; {@code method} is the subtitle saying how ours were measured.
   */
  static void draw(Map<String, Double> ours, Path published, String method, Path png) throws IOException {
    Map<String, Map<String, Double>> engines = new LinkedHashMap<>();
    engines.put("Freshet", ours);
    engines.putAll(read(published));
    List<String> queries = new ArrayList<>(ours.keySet());
    CategoryChart chart = new CategoryChartBuilder().width(1400).height(620)
        .title("Nexmark: events per second per core (" + method + ")").xAxisTitle("query")
        .yAxisTitle("events/s per core (log scale)").build();
    var styler = chart.getStyler();
    styler.setYAxisLogarithmic(true);
    styler.setYAxisMin(10_000.0);
    styler.setYAxisDecimalPattern("#,###");
    styler.setChartBackgroundColor(Color.WHITE);
    styler.setLegendPosition(Styler.LegendPosition.OutsideE);
    styler.setSeriesColors(COLORS);
    for (Map.Entry<String, Map<String, Double>> engine : engines.entrySet()) {
      List<Double> values = new ArrayList<>();
      for (String query : queries) {
        // Below the axis, so no bar, for a query the engine did not publish (the log axis cannot take zero).
        values.add(engine.getValue().getOrDefault(query, 1.0));
      }
      chart.addSeries(engine.getKey(), queries, values);
    }
    BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
  }

  /** engine → query → events/s per core, from a CSV file with {@code #} comment lines. */
  static Map<String, Map<String, Double>> read(Path published) throws IOException {
    Map<String, Map<String, Double>> engines = new LinkedHashMap<>();
    int number = 0;
    for (String line : Files.readAllLines(published)) {
      number++;
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] fields = line.split(",");
      try {
        engines.computeIfAbsent(fields[0].trim(), e -> new LinkedHashMap<>())
            .put(fields[1].trim(), Double.parseDouble(fields[2].trim()));
      } catch (RuntimeException e) {
        throw new IllegalArgumentException(published + " line " + number + ": expected engine,query,events per "
            + "second per core, not '" + line + "'");
      }
    }
    return engines;
  }
}
