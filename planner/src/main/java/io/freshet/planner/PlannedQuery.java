package io.freshet.planner;

import io.freshet.exec.operator.CalcOperator;
import io.freshet.exec.types.RowSchema;

/**
 * A query ready to run: it reads {@code source}, applies {@code calc} (null when rows pass unchanged) and
 * produces {@code outputSchema}. {@code explain} shows the logical and the physical plan.
 */
public record PlannedQuery(PlannerTable source, CalcOperator.Spec calc, RowSchema outputSchema, String explain) {

  public boolean isBounded() {
    return source.bounded();
  }
}
