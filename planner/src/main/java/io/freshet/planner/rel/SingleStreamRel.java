package io.freshet.planner.rel;

import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.SingleRel;
import org.apache.calcite.rel.type.RelDataType;

/**
 * A stream node over one input, with the row type its rule gave it; its time attributes are derived from its
 * input's when first asked for, as Calcite derives a row type.
 */
abstract class SingleStreamRel extends SingleRel implements StreamRel {
  private TimeAttributes timeAttributes;

  SingleStreamRel(RelOptCluster cluster, RelTraitSet traits, RelNode input, RelDataType rowType) {
    super(cluster, traits, input);
    this.rowType = rowType;
  }

  /** What each output column means for event time, given what the input's columns mean. */
  abstract TimeAttributes deriveTimeAttributes(TimeAttributes input);

  @Override
  public final TimeAttributes timeAttributes() {
    if (timeAttributes == null) {
      timeAttributes = deriveTimeAttributes(StreamRel.timeAttributesOf(getInput()));
    }
    return timeAttributes;
  }
}
