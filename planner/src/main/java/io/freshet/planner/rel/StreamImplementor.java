package io.freshet.planner.rel;

import io.freshet.exec.expr.Expr;
import io.freshet.exec.plan.Distribution;
import io.freshet.exec.plan.OperatorFactory;
import io.freshet.exec.plan.StreamPlan;
import io.freshet.exec.types.RowSchema;
import io.freshet.planner.PlannerTable;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Builds a {@link StreamPlan} from a tree of {@link StreamRel}s, each of which adds its nodes after its inputs';
 * it also collects how each aggregation's GROUP BY reads, for the messages of the output-mode validator.
 */
public final class StreamImplementor {
  private final StreamPlan.Builder plan = StreamPlan.builder();
  private final Map<Integer, String> aggregates = new HashMap<>();
  private final Function<PlannerTable, Expr> watermarks;
  /** The id of each source added, by table name: a table read twice (a self-join) is one source. */
  private final Map<String, Integer> sources = new HashMap<>();

  /** @param watermarks the runtime watermark expression of a table (null: none) */
  public StreamImplementor(Function<PlannerTable, Expr> watermarks) {
    this.watermarks = watermarks;
  }

  /** Implements input {@code ordinal} of {@code parent} and returns the id of its rows. */
  public int visitInput(StreamRel parent, int ordinal) {
    return ((StreamRel) parent.getInput(ordinal)).implement(this);
  }

  /** Adds the source that reads {@code table}. */
  public int source(PlannerTable table) {
    Integer id = sources.get(table.name());
    if (id == null) {
      id = plan.source(table.name(), table.schema(), table.bounded(), watermarks.apply(table),
          table.watermarkExpression(), table.idleTimeoutMs());
      sources.put(table.name(), id);
    }
    return id;
  }

  /** Adds a stateless node over {@code input}. */
  public int node(OperatorFactory factory, int input) {
    return plan.node(factory, input);
  }

  /** Adds a stateless node over several inputs (a union). */
  public int node(OperatorFactory factory, int... inputs) {
    return plan.node(factory, Distribution.ANY, inputs);
  }

  /** Adds a node over several inputs distributed as {@code distribution} says (a join). */
  public int node(OperatorFactory factory, Distribution distribution, int... inputs) {
    return plan.node(factory, distribution, inputs);
  }

  /** Adds a stateful node over {@code input}, its rows hashed on {@code keys} (none: one partition). */
  public int node(OperatorFactory factory, int[] keys, int input) {
    return plan.node(factory, Distribution.hash(keys), input);
  }

  /** Marks node {@code id} as following processing time rather than event time. */
  public void processingTime(int id) {
    plan.processingTime(id);
  }

  /** The schema of what source or node {@code id} gives. */
  public RowSchema schema(int id) {
    return plan.schema(id);
  }

  /** Records how the aggregation of node {@code id} groups, e.g. {@code GROUP BY channel}. */
  public void describeAggregate(int id, String description) {
    aggregates.put(id, description);
  }

  public Map<Integer, String> aggregates() {
    return aggregates;
  }

  /** The plan whose rows come from {@code root}. */
  public StreamPlan build(int root) {
    return plan.build(root);
  }
}
