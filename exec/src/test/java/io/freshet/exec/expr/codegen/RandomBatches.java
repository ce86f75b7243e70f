package io.freshet.exec.expr.codegen;

import io.freshet.exec.batch.Batch;
import io.freshet.exec.batch.Values;
import io.freshet.exec.expr.Vectors;
import io.freshet.exec.types.RowSchema;
import io.freshet.exec.types.TypeKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;

/**
 * Random batches for differential tests: values drawn mostly from the edges (0, -1, MIN, MAX, -0.0, NaN, ...)
 * so that overflow, division by zero and SQL's ordering of doubles are exercised; a NULL still has a value in
 * the data buffer, drawn the same way, as Arrow leaves whatever was there.
 */
final class RandomBatches {
  private static final long[] LONGS = {0, 1, -1, 2, 7, -7, 5000, 5001, Integer.MAX_VALUE, Integer.MIN_VALUE,
      Long.MAX_VALUE, Long.MIN_VALUE, 1L << 40};
  private static final double[] DOUBLES = {0.0, -0.0, 1.0, -1.0, 0.5, 2.5, Double.NaN, Double.POSITIVE_INFINITY,
      Double.NEGATIVE_INFINITY, Double.MAX_VALUE, Double.MIN_VALUE, 3e9, -3e9, 1e19};

  private RandomBatches() { }

  static Batch of(RowSchema schema, int rows, double nulls, Random random, BufferAllocator allocator) {
    List<FieldVector> vectors = new ArrayList<>();
    try {
      for (int c = 0; c < schema.size(); c++) {
        TypeKind type = schema.type(c);
        FieldVector v = Vectors.allocate(type, rows, allocator);
        vectors.add(v);
        for (int r = 0; r < rows; r++) {
          Values.set(v, type, r, value(type, random));
          if (random.nextDouble() < nulls) {
            v.setNull(r);
          }
        }
        v.setValueCount(rows);
      }
    } catch (RuntimeException e) {
      vectors.forEach(FieldVector::close);
      throw e;
    }
    return Batch.of(schema, vectors, rows);
  }

  static Object value(TypeKind type, Random random) {
    long l = random.nextBoolean() ? LONGS[random.nextInt(LONGS.length)] : random.nextInt(41) - 20;
    return switch (type) {
      case BOOLEAN -> random.nextBoolean();
      case INT -> (int) l;
      case BIGINT -> l;
      case DOUBLE -> random.nextBoolean() ? DOUBLES[random.nextInt(DOUBLES.length)] : (random.nextInt(81) - 40) / 4.0;
      case VARCHAR -> "s" + random.nextInt(10);
      case TIMESTAMP -> Values.toLocalDateTime(1_767_225_600_000L + random.nextInt(1_000_000) - 500_000);
    };
  }
}
