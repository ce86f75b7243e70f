package io.freshet.exec.aggregate;

import io.freshet.exec.plan.Distribution;
import io.freshet.exec.plan.PlanNode;
import io.freshet.exec.plan.StreamPlan;
import io.freshet.exec.window.WindowAssignOperator;
import io.freshet.exec.expr.Expr;
import io.freshet.exec.operator.CalcOperator;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Rewrites the hopping windows of a plan whose aggregation can keep slices ({@link HopSlices}): a HOP whose size is
 * a multiple of its slide, read only by an event-time window aggregation that emits when windows close, over an
 * insert-only input, with aggregates that merge exactly, that groups by one window bound (the others derived from
 * it) and reads no window column otherwise. The HOP then gives each row one row (its slice) instead of one per
 * window, and the aggregation keeps a group per key and slice. All the slices of a key must meet in one partition,
 * so the aggregation's input is hashed on its keys without the window bound. State kept in RocksDB is not sliced.
 */
public final class HopSlicing {
  private HopSlicing() {
  }

  /** The plan that runs {@code plan} with state on the heap, or, when it {@code pagesToDisk}, in RocksDB. */
  public static StreamPlan forStore(StreamPlan plan, boolean pagesToDisk) {
    return pagesToDisk ? plan : apply(plan);
  }

  /** {@code plan} with each hopping window that can be sliced sliced. */
  public static StreamPlan apply(StreamPlan plan) {
    StreamPlan result = plan;
    for (PlanNode node : plan.nodes()) {
      if (!(node.factory() instanceof WindowAssignOperator.Spec window) || !window.sliceable()) {
        continue;
      }
      List<PlanNode> aggregates = new ArrayList<>();
      int first = window.carried().length;
      if (!slicesReach(plan, node.id(), IntStream.range(0, window.outputSchema().size()).toArray(), first,
          aggregates)) {
        continue;
      }
      HopSlices slices = new HopSlices(window.slideMs(), (int) (window.sizeMs() / window.slideMs()));
      result = result.replace(node.id(), window.withSlices());
      for (PlanNode reader : aggregates) {
        HashAggregateOperator.Spec aggregate = (HashAggregateOperator.Spec) reader.factory();
        result = result.replace(reader.id(), aggregate.sliced(slices), Distribution.hash(keysWithoutClose(aggregate)));
      }
    }
    return result;
  }

  /**
   * Whether every reader of node {@code id} is an aggregation that can keep slices, directly or through projections
   * of columns; adds those aggregations to {@code aggregates}. {@code origin} maps each column of the node to the
   * column of the window it is ({@code >= first}: a window bound; negative: none).
   */
  private static boolean slicesReach(StreamPlan plan, int id, int[] origin, int first, List<PlanNode> aggregates) {
    List<PlanNode> readers = plan.nodes().stream().filter(n -> n.inputs().contains(id)).toList();
    if (readers.isEmpty() || plan.root() == id) {
      return false;
    }
    for (PlanNode reader : readers) {
      if (reader.inputs().size() != 1) {
        return false;
      }
      if (reader.factory() instanceof CalcOperator.Spec calc) {
        int[] mapped = projected(calc, origin, first);
        if (mapped == null || !slicesReach(plan, reader.id(), mapped, first, aggregates)) {
          return false;
        }
      } else if (reader.factory() instanceof HashAggregateOperator.Spec aggregate && aggregate.sliceable()
          && !plan.followsProcessingTime(reader.id()) && readsWindowAsKeyOnly(aggregate, origin, first)) {
        aggregates.add(reader);
      } else {
        return false;
      }
    }
    return true;
  }

  /**
   * The window columns of a projection's output, given those of its input; null when it filters or computes from
   * a window bound, whose values differ between a slice and its windows.
   */
  private static int[] projected(CalcOperator.Spec calc, int[] origin, int first) {
    if (calc.condition() != null && reads(calc.condition(), origin, first)) {
      return null;
    }
    int[] mapped = new int[calc.projections().size()];
    for (int c = 0; c < mapped.length; c++) {
      Expr e = calc.projections().get(c);
      if (e instanceof Expr.ColumnRef ref) {
        mapped[c] = origin[ref.index()];
      } else if (reads(e, origin, first)) {
        return null;
      } else {
        mapped[c] = -1;
      }
    }
    return mapped;
  }

  /** Whether {@code e} reads a window bound. */
  private static boolean reads(Expr e, int[] origin, int first) {
    if (e instanceof Expr.ColumnRef ref) {
      return origin[ref.index()] >= first;
    }
    return Expr.args(e).stream().anyMatch(a -> reads(a, origin, first));
  }

  /**
   * Whether the aggregation reads the window's columns only as its close key and keys derived from it: a slice's
   * other columns are not those of its windows.
   */
  private static boolean readsWindowAsKeyOnly(HashAggregateOperator.Spec aggregate, int[] origin, int first) {
    int[] keys = aggregate.keys();
    for (int k = 0; k < keys.length; k++) {
      if (origin[keys[k]] >= first && k != aggregate.closeKey()
          && aggregate.derivedFromClose()[k] == HashAggregateOperator.NOT_DERIVED) {
        return false;
      }
    }
    if (origin[keys[aggregate.closeKey()]] < first) {
      return false;
    }
    return aggregate.calls().stream().allMatch(c -> (c.argument() < 0 || origin[c.argument()] < first)
        && (c.filter() < 0 || origin[c.filter()] < first));
  }

  /** The input columns of the stored keys but the close key: those the input is hashed on. */
  private static int[] keysWithoutClose(HashAggregateOperator.Spec aggregate) {
    int[] keys = aggregate.keys();
    return IntStream.range(0, keys.length)
        .filter(k -> k != aggregate.closeKey() && aggregate.derivedFromClose()[k] == HashAggregateOperator.NOT_DERIVED)
        .map(k -> keys[k]).toArray();
  }
}
