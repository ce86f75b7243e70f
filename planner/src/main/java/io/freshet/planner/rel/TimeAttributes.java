package io.freshet.planner.rel;

import io.freshet.exec.aggregate.HashAggregateOperator;
import io.freshet.exec.expr.Expr;
import io.freshet.planner.rel.TimeAttribute.Kind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * The time attribute of each column of a {@link StreamRel}'s output, derived from its input's: the plan property
 * that windows, window aggregations and Top-Ns read to find event time and the key that closes their windows.
 */
public final class TimeAttributes {
  private final List<TimeAttribute> columns;

  private TimeAttributes(List<TimeAttribute> columns) {
    this.columns = List.copyOf(columns);
  }

  public static TimeAttributes of(List<TimeAttribute> columns) {
    return new TimeAttributes(columns);
  }

  /** {@code width} columns that mean nothing for event time. */
  public static TimeAttributes none(int width) {
    return new TimeAttributes(Collections.nCopies(width, TimeAttribute.NONE));
  }

  /** The columns' attributes in order. */
  public List<TimeAttribute> asList() {
    return columns;
  }

  public TimeAttribute get(int column) {
    return columns.get(column);
  }

  public int size() {
    return columns.size();
  }

  /** Columns that copy these: output column i means what column {@code sources[i]} means (nothing where -1). */
  public TimeAttributes select(int... sources) {
    List<TimeAttribute> selected = new ArrayList<>();
    for (int source : sources) {
      selected.add(source < 0 ? TimeAttribute.NONE : columns.get(source));
    }
    return new TimeAttributes(selected);
  }

  /**
   * The columns of projections over these: a projection that reads a column as it is keeps its meaning, and
   * {@code PROCTIME()} is a processing-time attribute.
   */
  public TimeAttributes project(List<Expr> projections) {
    List<TimeAttribute> projected = new ArrayList<>();
    for (Expr e : projections) {
      projected.add(e instanceof Expr.ColumnRef ref ? columns.get(ref.index())
          : e instanceof Expr.Call call && call.op() == Expr.Op.PROCTIME ? TimeAttribute.PROCTIME : TimeAttribute.NONE);
    }
    return new TimeAttributes(projected);
  }

  /**
   * These columns with the processing-time attributes made plain values: the columns of an operator that holds rows
   * past their micro-batch, whose processing time is then no longer the batch's (window bounds stay).
   */
  public TimeAttributes withoutProcessingTime() {
    return new TimeAttributes(columns.stream().map(a -> a.kind() == Kind.PROCTIME ? TimeAttribute.NONE : a).toList());
  }

  /** Whether the key that closes a window aggregation (or a Top-N of windows) is a bound of processing-time windows. */
  public boolean closesByProcessingTime(int[] keys, CloseKey close) {
    return close != null && columns.get(keys[close.position()]).processing();
  }

  /** These columns followed by {@code more}. */
  public TimeAttributes append(List<TimeAttribute> more) {
    List<TimeAttribute> all = new ArrayList<>(columns);
    all.addAll(more);
    return new TimeAttributes(all);
  }

  /** These columns, then as many that mean nothing as make {@code width}. */
  public TimeAttributes padTo(int width) {
    return append(Collections.nCopies(width - columns.size(), TimeAttribute.NONE));
  }

  /**
   * The key that closes a window aggregation's groups: of {@code keys}, the first window end, else the first window
   * time, else the first window start; null when no key is a window bound (an unbounded aggregation).
   */
  public CloseKey closeKeyPreferringEnd(int[] keys) {
    for (Kind wanted : new Kind[] {Kind.WINDOW_END, Kind.WINDOW_TIME, Kind.WINDOW_START}) {
      for (int k = 0; k < keys.length; k++) {
        if (columns.get(keys[k]).kind() == wanted) {
          return closeKey(keys, k);
        }
      }
    }
    return null;
  }

  /**
   * The first of {@code keys} that is a window bound (a Top-N's window), or null when none is. A start of windows
   * that differ in length (CUMULATE's, which share their start) gives way to an end or time of the same windows
   * among the keys, so that each window closes at its own end rather than at its longest sibling's.
   */
  public CloseKey firstCloseKey(int[] keys) {
    for (int k = 0; k < keys.length; k++) {
      TimeAttribute bound = columns.get(keys[k]);
      if (bound.isWindowBound()) {
        if (bound.kind() == Kind.WINDOW_START && bound.size() == 0) {
          for (int e = 0; e < keys.length; e++) {
            TimeAttribute other = columns.get(keys[e]);
            if (other.window() == bound.window() && other.isWindowBound() && other.kind() != Kind.WINDOW_START) {
              return closeKey(keys, e);
            }
          }
        }
        return closeKey(keys, k);
      }
    }
    return null;
  }

  private CloseKey closeKey(int[] keys, int position) {
    TimeAttribute bound = columns.get(keys[position]);
    long offset = switch (bound.kind()) {
      case WINDOW_TIME -> 1;
      case WINDOW_START -> bound.span();
      default -> 0;
    };
    return new CloseKey(position, offset);
  }

  /**
   * For each of {@code keys}, how it follows from the close key when both are bounds of the same window (the start
   * is the end minus the size, the time the end minus 1 ms), so that it need not be hashed and stored; otherwise
   * {@link HashAggregateOperator#NOT_DERIVED}. A window start closes only when no end or time of its window is
   * a key, and nothing is derived from it.
   */
  public long[] derivedFromClose(int[] keys, CloseKey closeKey) {
    long[] derived = new long[keys.length];
    Arrays.fill(derived, HashAggregateOperator.NOT_DERIVED);
    if (closeKey == null) {
      return derived;
    }
    TimeAttribute close = columns.get(keys[closeKey.position()]);
    if (close.kind() == Kind.WINDOW_START) {
      return derived;
    }
    long closeFromEnd = fromEnd(close.kind(), close.size());
    for (int k = 0; k < keys.length; k++) {
      TimeAttribute key = columns.get(keys[k]);
      if (k == closeKey.position() || key.window() < 0 || key.window() != close.window()) {
        continue;
      }
      long keyFromEnd = fromEnd(key.kind(), close.size());
      if (keyFromEnd != HashAggregateOperator.NOT_DERIVED) {
        derived[k] = keyFromEnd - closeFromEnd;
      }
    }
    return derived;
  }

  /** A window bound's distance from its window's end: the start -size (when known), the end 0, the time -1 ms. */
  private static long fromEnd(Kind kind, long size) {
    return switch (kind) {
      case WINDOW_START -> size > 0 ? -size : HashAggregateOperator.NOT_DERIVED;
      case WINDOW_END -> 0;
      case WINDOW_TIME -> -1;
      default -> HashAggregateOperator.NOT_DERIVED;
    };
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TimeAttributes t && t.columns.equals(columns);
  }

  @Override
  public int hashCode() {
    return columns.hashCode();
  }

  @Override
  public String toString() {
    return columns.toString();
  }
}
