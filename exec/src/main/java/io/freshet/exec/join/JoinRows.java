package io.freshet.exec.join;

import io.freshet.exec.batch.Batch;
import io.freshet.exec.batch.RowKind;
import io.freshet.exec.expr.Vectors;
import io.freshet.exec.state.KeyValueState;
import io.freshet.exec.types.RowSchema;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;

/**
 * The batches a join of two streams emits, built column by column: a probing batch's rows gathered, kept rows
 * decoded from their bytes ({@code [matched][until][row]}), nulls for the side an outer row has no match on, and
 * each row's kind when the output is a changelog.
 */
final class JoinRows {
  private final RowSchema[] schemas;
  private final RowSchema output;
  private final boolean changelog;
  private final BufferAllocator allocator;

  JoinRows(RowSchema left, RowSchema right, RowSchema output, boolean changelog, BufferAllocator allocator) {
    this.schemas = new RowSchema[] {left, right};
    this.output = output;
    this.changelog = changelog;
    this.allocator = allocator;
  }

  FieldVector[] gather(Batch input, RowSchema schema, int[] rowsAt, int count) {
    FieldVector[] vectors = new FieldVector[schema.size()];
    try {
      for (int c = 0; c < schema.size(); c++) {
        vectors[c] = Vectors.gather(input.vector(c), schema.type(c), rowsAt, count, allocator);
      }
    } catch (RuntimeException | Error e) {
      closeAll(vectors);
      throw e;
    }
    return vectors;
  }

  /**
   * The rows kept in {@code values} ({@code [matched][until][row]}), decoded into vectors of {@code schema}; a null
   * value gives a row of nulls.
   */
  FieldVector[] decode(RowSchema schema, List<byte[]> values) {
    FieldVector[] vectors = allocate(schema, values.size());
    try {
      List<FieldVector> list = Arrays.asList(vectors);
      for (int i = 0; i < values.size(); i++) {
        if (values.get(i) != null) {
          KeyValueState.decode(values.get(i), 9, list, i);
        } else {
          for (FieldVector v : vectors) {
            v.setNull(i);
          }
        }
      }
      for (FieldVector v : vectors) {
        v.setValueCount(values.size());
      }
    } catch (RuntimeException | Error e) {
      closeAll(vectors);
      throw e;
    }
    return vectors;
  }

  private FieldVector[] allocate(RowSchema schema, int count) {
    FieldVector[] vectors = new FieldVector[schema.size()];
    try {
      for (int c = 0; c < schema.size(); c++) {
        vectors[c] = Vectors.allocate(schema.type(c), Math.max(count, 1), allocator);
      }
    } catch (RuntimeException | Error e) {
      closeAll(vectors);
      throw e;
    }
    return vectors;
  }

  /** {@code count} rows of nulls, for the side an outer row has no match on. */
  FieldVector[] nulls(RowSchema schema, int count) {
    FieldVector[] vectors = allocate(schema, count);
    for (FieldVector v : vectors) {
      for (int i = 0; i < count; i++) {
        v.setNull(i);
      }
      v.setValueCount(count);
    }
    return vectors;
  }

  Batch joined(FieldVector[] left, FieldVector[] right, int count) {
    List<FieldVector> columns = new ArrayList<>(Arrays.asList(left));
    columns.addAll(Arrays.asList(right));
    return Batch.of(output, columns, count);
  }

  Batch padded(int side, Batch input, int[] rowsAt, int count) {
    FieldVector[] mine = gather(input, schemas[side], rowsAt, count);
    FieldVector[] none;
    try {
      none = nulls(schemas[1 - side], count);
    } catch (RuntimeException | Error e) {
      closeAll(mine);
      throw e;
    }
    return joined(side == 0 ? mine : none, side == 0 ? none : mine, count);
  }

  /** Kept rows of side {@code side} ({@code [matched][until][row]}), each with nulls for the other side. */
  Batch padded(int side, List<byte[]> values) {
    FieldVector[] mine = decode(schemas[side], values);
    FieldVector[] none;
    try {
      none = nulls(schemas[1 - side], values.size());
    } catch (RuntimeException | Error e) {
      closeAll(mine);
      throw e;
    }
    return joined(side == 0 ? mine : none, side == 0 ? none : mine, values.size());
  }

  /** Adds {@code batch} to {@code out}, with the row kind {@code kind} when the output is a changelog. */
  void emit(List<Batch> out, Batch batch, int kind) {
    if (!changelog) {
      out.add(batch);
      return;
    }
    try (batch) {
      int[] kinds = new int[batch.rowCount()];
      Arrays.fill(kinds, kind);
      out.add(RowKind.attach(batch, kinds, allocator));
    }
  }

  static void closeAll(FieldVector[] vectors) {
    for (FieldVector v : vectors) {
      if (v != null) {
        v.close();
      }
    }
  }
}
