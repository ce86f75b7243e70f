package io.freshet.exec.window;

import io.freshet.exec.batch.Batch;
import io.freshet.exec.batch.BatchBuilder;
import io.freshet.exec.state.StateStore;
import io.freshet.exec.types.RowSchema;
import io.freshet.streaming.Row;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * A Top-N's rows on the heap: per partition a list sorted by the ORDER BY columns, found by binary search. The
 * checkpoint holds every row, whole, as an Arrow file.
 */
final class HeapTopNRows implements TopNRows {
  private final TopNOperator.Spec spec;
  private final RowSchema inputSchema;
  private final BufferAllocator allocator;
  private final Map<List<Object>, List<Object[]>> partitions = new HashMap<>();
  private long rowCount;

  HeapTopNRows(TopNOperator.Spec spec, BufferAllocator allocator) {
    this.spec = spec;
    this.inputSchema = spec.inputSchema();
    this.allocator = allocator;
  }

  @Override
  public void add(List<Object> partition, Object[] row) {
    List<Object[]> rows = partitions.computeIfAbsent(partition, k -> new ArrayList<>());
    rows.add(upperBound(rows, row), row);
    rowCount++;
  }

  @Override
  public void remove(List<Object> partition, Object[] row) {
    List<Object[]> rows = partitions.get(partition);
    if (rows == null) {
      return;
    }
    for (int i = lowerBound(rows, row); i < rows.size() && spec.compareOrder(rows.get(i), row) == 0; i++) {
      if (java.util.Arrays.equals(rows.get(i), row)) {
        rows.remove(i);
        rowCount--;
        break;
      }
    }
    if (rows.isEmpty()) {
      partitions.remove(partition);
    }
  }

  @Override
  public void forEachSorted(List<Object> partition, Predicate<Object[]> visitor) {
    for (Object[] row : partitions.getOrDefault(partition, List.of())) {
      if (!visitor.test(row)) {
        return;
      }
    }
  }

  @Override
  public void keepFirst(List<Object> partition, int count) {
    List<Object[]> rows = partitions.get(partition);
    if (rows != null && rows.size() > count) {
      rowCount -= rows.size() - count;
      rows.subList(count, rows.size()).clear();
    }
  }

  /** The first position whose row does not order before {@code row}. */
  private int lowerBound(List<Object[]> rows, Object[] row) {
    int lo = 0;
    int hi = rows.size();
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (spec.compareOrder(rows.get(mid), row) < 0) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** The first position whose row orders after {@code row}: ties keep their arrival order. */
  private int upperBound(List<Object[]> rows, Object[] row) {
    int lo = 0;
    int hi = rows.size();
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (spec.compareOrder(rows.get(mid), row) <= 0) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  @Override
  public long rowCount() {
    return rowCount;
  }

  /** About 16 bytes a value: the boxed rows and the lists that hold them. */
  @Override
  public long heapBytes() {
    return rowCount * (inputSchema.size() + 2) * 16;
  }

  @Override
  public void commit(StateStore store, long version) {
    List<Row> rows = new ArrayList<>();
    for (List<Object[]> list : partitions.values()) {
      list.forEach(r -> rows.add(Row.of(r)));
    }
    Schema schema = stateSchema();
    try (Batch batch = BatchBuilder.of(inputSchema, allocator, rows)) {
      List<FieldVector> vectors = new ArrayList<>();
      io.freshet.exec.batch.Owned.orClose(vectors, () -> {
        for (int c = 0; c < inputSchema.size(); c++) {
          var pair = batch.vector(c).getTransferPair(schema.getFields().get(c), allocator);
          pair.splitAndTransfer(0, batch.rowCount());
          vectors.add((FieldVector) pair.getTo());
        }
      });
      try (VectorSchemaRoot root = new VectorSchemaRoot(schema.getFields(), vectors, batch.rowCount())) {
        store.write(version, true, List.of(root));
      }
    }
  }

  private Schema stateSchema() {
    return new Schema(inputSchema.columns().stream().map(c -> c.toArrowField()).toList());
  }

  @Override
  public void restore(StateStore store, long version) {
    store.restore(version, stateSchema(), root -> {
      for (int r = 0; r < root.getRowCount(); r++) {
        Object[] row = new Object[inputSchema.size()];
        for (int c = 0; c < row.length; c++) {
          row[c] = io.freshet.exec.batch.Values.get(root.getVector(c), inputSchema.type(c), r);
        }
        add(spec.partitionOf(row), row);
      }
    });
  }

  /** The state holds input rows; the partition columns key them. */
  @Override
  public int[] stateKeyColumns() {
    return spec.partition();
  }

  @Override
  public void close() {
    partitions.clear();
  }
}
