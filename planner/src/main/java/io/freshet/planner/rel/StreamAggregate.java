package io.freshet.planner.rel;

import io.freshet.exec.aggregate.HashAggregateOperator;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelWriter;
import org.apache.calcite.rel.type.RelDataType;

/**
 * GROUP BY, one {@link HashAggregateOperator}: a window aggregation when a key is a window bound (its groups close
 * with the window, and keys of the same window follow from the closing one), otherwise an unbounded aggregation.
 * Its rows are hashed on the keys it stores; its keys keep their time attributes.
 */
public final class StreamAggregate extends SingleStreamRel {
  private final HashAggregateOperator.Spec spec;
  /** How the GROUP BY reads, for messages: {@code GROUP BY channel}. */
  private final String description;

  public StreamAggregate(RelOptCluster cluster, RelTraitSet traits, RelNode input, RelDataType rowType,
      HashAggregateOperator.Spec spec, String description) {
    super(cluster, traits, input, rowType);
    this.spec = spec;
    this.description = description;
  }

  /** The grouping keys the aggregation hashes and stores: those not computed from its close key. */
  private int[] storedKeys() {
    int[] keys = spec.keys();
    return IntStream.range(0, keys.length).filter(k -> spec.derivedFromClose()[k] == HashAggregateOperator.NOT_DERIVED)
        .map(k -> keys[k]).toArray();
  }

  @Override
  public RelNode copy(RelTraitSet traitSet, List<RelNode> inputs) {
    return new StreamAggregate(getCluster(), traitSet, sole(inputs), rowType, spec, description);
  }

  @Override
  public RelWriter explainTerms(RelWriter pw) {
    return super.explainTerms(pw).item("aggregate", spec.describe());
  }

  @Override
  public int implement(StreamImplementor implementor) {
    int id = implementor.node(spec, storedKeys(), implementor.visitInput(this, 0));
    implementor.describeAggregate(id, description);
    if (spec.windowed() && StreamRel.timeAttributesOf(getInput()).get(spec.keys()[spec.closeKey()]).processing()) {
      implementor.processingTime(id);
    }
    return id;
  }

  /** The keys keep their meaning (a processing time becomes a plain value); the aggregates have none. */
  @Override
  TimeAttributes deriveTimeAttributes(TimeAttributes input) {
    int[] sources = Arrays.copyOf(spec.keys(), spec.keys().length + spec.calls().size());
    Arrays.fill(sources, spec.keys().length, sources.length, -1);
    return input.select(sources).withoutProcessingTime();
  }
}
