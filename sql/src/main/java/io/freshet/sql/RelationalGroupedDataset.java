package io.freshet.sql;

import io.freshet.planner.logical.Expression;
import io.freshet.planner.logical.Frame;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A Dataset grouped by keys, as Spark's {@code RelationalGroupedDataset}: {@link Dataset#groupBy} gives one, and
 * {@link #agg}, {@link #count} and the like give the aggregated Dataset (the keys, then the aggregates). A {@code
 * window(...)} key gives two columns, {@code window_start} and {@code window_end}.
 */
public final class RelationalGroupedDataset {
  private final Dataset input;
  private final List<Expression> keys;

  RelationalGroupedDataset(Dataset input, List<Expression> keys) {
    this.input = input;
    this.keys = List.copyOf(keys);
  }

  /** The keys, then each aggregate ({@code sum("price")}, {@code count("*").as("n")}, {@code expr("max(price)")}). */
  public Dataset agg(Column aggregate, Column... aggregates) {
    List<Expression> all = new ArrayList<>();
    all.add(aggregate.expression());
    for (Column c : aggregates) {
      all.add(c.expression());
    }
    return input.derive(new Frame.Aggregate(input.frame(), keys, all));
  }

  /** The keys and the number of rows of each, in a column {@code count}. */
  public Dataset count() {
    return agg(functions.count("*").as("count"));
  }

  /** The keys and the sum of each of the columns, in columns {@code sum(name)}. */
  public Dataset sum(String... columns) {
    return each(columns, functions::sum);
  }

  public Dataset avg(String... columns) {
    return each(columns, functions::avg);
  }

  public Dataset mean(String... columns) {
    return avg(columns);
  }

  public Dataset min(String... columns) {
    return each(columns, functions::min);
  }

  public Dataset max(String... columns) {
    return each(columns, functions::max);
  }

  private Dataset each(String[] columns, Function<String, Column> aggregate) {
    if (columns.length == 0) {
      throw io.freshet.streaming.FreshetException.user("Name the columns to aggregate, e.g. sum(\"price\")");
    }
    Column[] rest = new Column[columns.length - 1];
    for (int i = 1; i < columns.length; i++) {
      rest[i - 1] = aggregate.apply(columns[i]);
    }
    return agg(aggregate.apply(columns[0]), rest);
  }
}
