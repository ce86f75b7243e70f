package io.freshet.exec.aggregate;

import io.freshet.exec.types.TypeKind;
import java.util.function.IntFunction;

/**
 * One aggregate of a GROUP BY: its function, the input column it reads ({@code -1} for {@code COUNT(*)}), that
 * column's type and the result's type (as the SQL validator derived it).
 */
public record AggregateCall(Kind kind, int argument, TypeKind argumentType, TypeKind resultType) {

  public enum Kind { COUNT, SUM, MIN, MAX, AVG, COUNT_DISTINCT, APPROX_COUNT_DISTINCT }

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

  /** As EXPLAIN writes it, with its argument column written as {@code column} names it. */
  public String toString(IntFunction<String> column) {
    String arg = argument < 0 ? "*" : column.apply(argument);
    return switch (kind) {
      case COUNT_DISTINCT -> "COUNT(DISTINCT " + arg + ")";
      case APPROX_COUNT_DISTINCT -> "APPROX_COUNT_DISTINCT(" + arg + ")";
      default -> kind + "(" + arg + ")";
    };
  }
}
