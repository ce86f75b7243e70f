package io.freshet.exec.aggregate;

import io.freshet.exec.types.TypeKind;
import java.util.function.IntFunction;

/**
 * One aggregate of a GROUP BY: its function, the input column it reads ({@code -1} for {@code COUNT(*)}), that
 * column's type, the result's type (as the SQL validator derived it), and the BOOLEAN input column of its
 * {@code FILTER (WHERE ...)} ({@code -1} when it has none), of which only the rows where it is TRUE feed the
 * aggregate.
 */
public record AggregateCall(Kind kind, int argument, TypeKind argumentType, TypeKind resultType, int filter) {

  public enum Kind { COUNT, SUM, MIN, MAX, AVG, COUNT_DISTINCT, APPROX_COUNT_DISTINCT }

  /** An aggregate of every row (no FILTER). */
  public AggregateCall(Kind kind, int argument, TypeKind argumentType, TypeKind resultType) {
    this(kind, argument, argumentType, resultType, -1);
  }

  /**
   * Whether rows can be taken back out of it, so that it can read a changelog: COUNT, SUM and AVG can; MIN, MAX
   * and the distinct counts would need every value kept.
   */
  public boolean retractable() {
    return kind == Kind.COUNT || kind == Kind.SUM || kind == Kind.AVG;
  }

  @Override
  public String toString() {
    return toString(i -> "$" + i);
  }

  /** As EXPLAIN writes it, with its argument (and filter) column written as {@code column} names it. */
  public String toString(IntFunction<String> column) {
    String arg = argument < 0 ? "*" : column.apply(argument);
    String call = switch (kind) {
      case COUNT_DISTINCT -> "COUNT(DISTINCT " + arg + ")";
      case APPROX_COUNT_DISTINCT -> "APPROX_COUNT_DISTINCT(" + arg + ")";
      default -> kind + "(" + arg + ")";
    };
    return filter < 0 ? call : call + " FILTER (WHERE " + column.apply(filter) + ")";
  }
}
