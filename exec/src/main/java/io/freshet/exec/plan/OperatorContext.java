package io.freshet.exec.plan;

import io.freshet.exec.operator.LateRows;
import io.freshet.exec.state.StateBackend;
import org.apache.arrow.memory.BufferAllocator;

/**
 * What the runtime gives an operator it creates for one partition of one run: an allocator of its own (closed by
 * the runtime when the run ends), the counter of rows dropped as late (shared by the event-time operators that
 * feed one stateful operator, which reports them), and where it sits in the plan.
 *
 * @param stateBackend where an operator keeps state that may outgrow memory
 */
public record OperatorContext(BufferAllocator allocator, LateRows lateRows, int nodeId, int partition,
    StateBackend stateBackend) {

  /** A context for one operator used on its own (tests and benchmarks): late rows are counted only. */
  public static OperatorContext of(BufferAllocator allocator) {
    return new OperatorContext(allocator, new LateRows(), 0, 0, StateBackend.MEMORY);
  }
}
