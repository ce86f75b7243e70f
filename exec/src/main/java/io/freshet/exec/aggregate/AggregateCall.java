package io.freshet.exec.aggregate;

import io.freshet.exec.types.TypeKind;

/**
 * One aggregate of a GROUP BY: its function, the input column it reads ({@code -1} for {@code COUNT(*)}), that
 * column's type and the result's type (as the SQL validator derived it).
 */
public record AggregateCall(Kind kind, int argument, TypeKind argumentType, TypeKind resultType) {

  public enum Kind { COUNT, SUM, MIN, MAX, AVG, COUNT_DISTINCT, APPROX_COUNT_DISTINCT }

  @Override
  public String toString() {
    String arg = argument < 0 ? "*" : "$" + argument;
    return switch (kind) {
      case COUNT_DISTINCT -> "COUNT(DISTINCT " + arg + ")";
      case APPROX_COUNT_DISTINCT -> "APPROX_COUNT_DISTINCT(" + arg + ")";
      default -> kind + "(" + arg + ")";
    };
  }
}
