package io.freshet.exec.aggregate;

import io.freshet.exec.aggregate.accumulator.Accumulator;
import io.freshet.exec.batch.Batch;
import io.freshet.exec.operator.Combiner;
import io.freshet.exec.types.Column;
import io.freshet.exec.types.RowSchema;
import io.freshet.exec.types.TypeKind;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * The partial aggregates of a {@link HashAggregateOperator} in a partition that sends it rows: the same groups and
 * accumulators as the aggregation's (so the hidden row count of update mode too), emptied at each {@link #take},
 * whose partial rows are the stored keys and the accumulators' state, as a checkpoint holds them.
 */
final class PartialAggregation implements Combiner {
  private final GroupedAggregation grouped;
  private final RowSchema schema;

  private PartialAggregation(GroupedAggregation grouped, RowSchema schema) {
    this.grouped = grouped;
    this.schema = schema;
  }

  /**
   * A combiner for {@code spec}, or null when its input is sent as it is: over a changelog, with an aggregate whose
   * state is not a plain column (the distinct counts), and with a SUM or AVG of doubles, whose last bits depend on
   * the order of the additions, which must not depend on the number of partitions or on which one read a file.
   */
  static PartialAggregation of(HashAggregateOperator.Spec spec, BufferAllocator allocator) {
    if (spec.changelogInput() || !mergesExactly(spec.calls())) {
      return null;
    }
    GroupedAggregation grouped = new GroupedAggregation(spec, allocator);
    return new PartialAggregation(grouped, partialSchema(grouped));
  }

  /**
   * Whether partial states of {@code calls} merge into exactly the state one pass over all rows gives: not a distinct
   * count, whose state is not a plain column, nor a SUM or AVG of doubles, whose last bits depend on the order of
   * the additions.
   */
  static boolean mergesExactly(List<AggregateCall> calls) {
    return calls.stream().noneMatch(c -> c.kind() == AggregateCall.Kind.COUNT_DISTINCT
        || c.kind() == AggregateCall.Kind.APPROX_COUNT_DISTINCT || (c.kind() == AggregateCall.Kind.SUM
        || c.kind() == AggregateCall.Kind.AVG) && c.argumentType() == TypeKind.DOUBLE);
  }

  /** The schema of the partial rows of {@code grouped}: its stored keys, then each accumulator's state. */
  static RowSchema partialSchema(GroupedAggregation grouped) {
    List<Column> columns = new ArrayList<>();
    for (int k = 0; k < grouped.keyCount(); k++) {
      columns.add(grouped.storedKeyColumn(k));
    }
    for (Accumulator a : grouped.accumulators()) {
      for (Field f : a.stateFields("s" + columns.size() + "_")) {
        columns.add(Column.of(f.getName(), typeOf(f.getType())));
      }
    }
    return new RowSchema(columns);
  }

  private static TypeKind typeOf(ArrowType type) {
    if (type instanceof ArrowType.Int) {
      return TypeKind.BIGINT;
    } else if (type instanceof ArrowType.FloatingPoint) {
      return TypeKind.DOUBLE;
    } else if (type instanceof ArrowType.Utf8) {
      return TypeKind.VARCHAR;
    }
    throw new IllegalArgumentException("no partial aggregate holds " + type);
  }

  @Override
  public void add(Batch rows) {
    if (rows.rowCount() > 0) {
      grouped.findGroups(rows);
      grouped.accumulate(rows, false);
    }
  }

  @Override
  public int groups() {
    return grouped.size();
  }

  @Override
  public Batch take() {
    int n = grouped.size();
    if (n == 0) {
      return null;
    }
    List<FieldVector> vectors = grouped.partialRows();
    grouped.remove(grouped.all());
    grouped.committed();
    return Batch.of(schema, vectors, n);
  }

  /** The stored keys, but the close key of the slices of a hopping window, whose slices meet in one partition. */
  @Override
  public int[] hashKeys() {
    return grouped.hashedKeys();
  }

  @Override
  public void close() {
    grouped.remove(grouped.all());
    grouped.clearPendingDeletes();
  }
}
