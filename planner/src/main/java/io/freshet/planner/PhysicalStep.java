package io.freshet.planner;

import io.freshet.exec.aggregate.HashAggregateOperator;
import io.freshet.exec.operator.CalcOperator;
import io.freshet.exec.window.SessionAggregateOperator;
import io.freshet.exec.window.WindowAssignOperator;
import io.freshet.exec.window.WindowRankOperator;

/**
 * One operator of a physical plan, as the planner describes it. Stateful steps say where the rows they drop as
 * late are counted ({@code lateGroup} ties a window step to the stateful step after it).
 */
public sealed interface PhysicalStep {

  record Calc(CalcOperator.Spec spec) implements PhysicalStep {
    @Override
    public String toString() {
      StringBuilder sb = new StringBuilder("Calc(");
      if (spec.condition() != null) {
        sb.append("filter=[").append(spec.condition()).append("], ");
      }
      return sb.append("project=").append(spec.projections()).append(")").toString();
    }
  }

  record Window(WindowAssignOperator.Spec spec, int lateGroup) implements PhysicalStep {
    @Override
    public String toString() {
      return spec.toString();
    }
  }

  /** A GROUP BY; {@code spec.emit()} is set when the output mode is known. */
  record Aggregate(HashAggregateOperator.Spec spec, int lateGroup, String description) implements PhysicalStep {
    @Override
    public String toString() {
      return spec.toString();
    }
  }

  record Session(SessionAggregateOperator.Spec spec, int lateGroup) implements PhysicalStep {
    @Override
    public String toString() {
      return spec.toString();
    }
  }

  record Rank(WindowRankOperator.Spec spec) implements PhysicalStep {
    @Override
    public String toString() {
      return spec.toString();
    }
  }
}
