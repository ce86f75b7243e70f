package io.freshet.exec.plan;

import java.util.List;

/**
 * An operator of a plan: its factory, the ids of its inputs (sources or other nodes, in the factory's input
 * order) and how its input rows are distributed over partitions.
 */
public record PlanNode(int id, OperatorFactory factory, List<Integer> inputs, Distribution distribution) {
  public PlanNode {
    inputs = List.copyOf(inputs);
    if (inputs.size() != factory.inputCount()) {
      throw new IllegalArgumentException(factory.kind() + " reads " + factory.inputCount() + " inputs, not "
          + inputs.size());
    }
  }
}
