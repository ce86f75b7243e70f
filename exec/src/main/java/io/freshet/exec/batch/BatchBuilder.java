package io.freshet.exec.batch;

import io.freshet.exec.types.RowSchema;
import io.freshet.streaming.Row;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;

/**
 * Builds a batch from boxed rows. For the edges only (memory sources, tests, small results); sources on a hot
 * path fill vectors directly.
 */
public final class BatchBuilder implements AutoCloseable {
  private final RowSchema schema;
  private final List<FieldVector> vectors = new ArrayList<>();
  private int rows;

  public BatchBuilder(RowSchema schema, BufferAllocator allocator) {
    this.schema = schema;
    Owned.orClose(vectors, () -> {
      for (var column : schema.columns()) {
        FieldVector v = column.toArrowField().createVector(allocator);
        vectors.add(v);
        v.allocateNew();
      }
    });
  }

  public BatchBuilder add(Row row) {
    if (row.size() != schema.size()) {
      throw io.freshet.streaming.FreshetException.user("Row " + row + " has " + row.size() + " values but "
          + schema + " has " + schema.size() + " columns");
    }
    for (int c = 0; c < schema.size(); c++) {
      Object value = row.get(c);
      try {
        Values.set(vectors.get(c), schema.type(c), rows, value);
      } catch (ClassCastException | IllegalArgumentException e) {
        throw io.freshet.streaming.FreshetException.user("Value '" + value + "' of row " + row
            + " does not fit column " + schema.column(c), e);
      }
    }
    rows++;
    return this;
  }

  public int rowCount() {
    return rows;
  }

  /** The batch; the builder gives up its vectors. */
  public Batch build() {
    Batch batch = Batch.of(schema, new ArrayList<>(vectors), rows);
    vectors.clear();
    return batch;
  }

  public static Batch of(RowSchema schema, BufferAllocator allocator, List<Row> rows) {
    try (BatchBuilder builder = new BatchBuilder(schema, allocator)) {
      rows.forEach(builder::add);
      return builder.build();
    }
  }

  @Override
  public void close() {
    vectors.forEach(FieldVector::close);
    vectors.clear();
  }
}
