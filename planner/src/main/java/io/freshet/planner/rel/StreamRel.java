package io.freshet.planner.rel;

import org.apache.calcite.plan.Convention;
import org.apache.calcite.rel.RelNode;

/**
 * A relational expression in the streaming calling convention: one that knows what each of its columns means for
 * event time and that adds itself, after its inputs, to the {@link io.freshet.exec.plan.StreamPlan} the runtime
 * runs.
 */
public interface StreamRel extends RelNode {

  /** The streaming calling convention: rows flowing through the micro-batch runtime. */
  Convention STREAM = new Convention.Impl("STREAM", StreamRel.class);

  /** Adds this node (after its inputs) to the plan being built; returns the id of the node that gives its rows. */
  int implement(StreamImplementor implementor);

  /** What each output column means for event time. */
  TimeAttributes timeAttributes();

  /** The time attributes of {@code rel}, a stream node (or a planner's vertex holding one). */
  static TimeAttributes timeAttributesOf(RelNode rel) {
    return ((StreamRel) rel.stripped()).timeAttributes();
  }
}
