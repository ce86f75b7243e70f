package io.freshet.planner.rel;

import io.freshet.planner.PlannerTable;
import io.freshet.planner.StreamTable;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.TableScan;

/** Reads a stream or table of the catalog: a source of the plan. */
public final class StreamTableScan extends TableScan implements StreamRel {
  private final PlannerTable source;
  private final TimeAttributes timeAttributes;

  public StreamTableScan(RelOptCluster cluster, RelTraitSet traits, RelOptTable table) {
    super(cluster, traits, List.of(), table);
    this.source = table.unwrapOrThrow(StreamTable.class).table();
    int rowtime = source.eventTimeColumn() == null ? -1 : source.schema().indexOf(source.eventTimeColumn());
    List<TimeAttribute> columns = new ArrayList<>();
    for (int i = 0; i < source.schema().size(); i++) {
      columns.add(i == rowtime ? TimeAttribute.ROWTIME : TimeAttribute.NONE);
    }
    this.timeAttributes = TimeAttributes.of(columns);
  }

  /** The table that the single-input chain below {@code rel} reads. */
  public static PlannerTable sourceBelow(RelNode rel) {
    RelNode node = rel.stripped();
    while (!(node instanceof StreamTableScan scan)) {
      node = node.getInput(0).stripped();
    }
    return scan.source;
  }

  /** Whether every table that {@code rel} reads ends (a bounded input), so that its last batch closes everything. */
  public static boolean readsOnlyBounded(RelNode rel) {
    RelNode node = rel.stripped();
    if (node instanceof StreamTableScan scan) {
      return scan.source.bounded();
    }
    return node.getInputs().stream().allMatch(StreamTableScan::readsOnlyBounded);
  }

  @Override
  public RelNode copy(RelTraitSet traitSet, List<RelNode> inputs) {
    return this;
  }

  @Override
  public int implement(StreamImplementor implementor) {
    return implementor.source(source);
  }

  @Override
  public TimeAttributes timeAttributes() {
    return timeAttributes;
  }
}
