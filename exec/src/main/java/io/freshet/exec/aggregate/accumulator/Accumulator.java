package io.freshet.exec.aggregate.accumulator;

import io.freshet.exec.batch.Owned;
import io.freshet.exec.expr.Vectors;
import io.freshet.exec.types.TypeKind;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;

/**
 * The running value of one aggregate for every group, in primitive arrays indexed by group id. {@link #update}
 * folds a batch in column by column; {@link #result} builds the output vector for a list of groups; the state
 * methods write and read the checkpointed form (Arrow vectors, no Java serialization). {@link Accumulators}
 * makes one for an aggregate call; the static helpers below are shared by the kinds in this package.
 */
public abstract class Accumulator {
  protected int capacity;

  /** Makes room for groups {@code 0..groups-1} (growing by half at a time); new groups start empty. */
  public final void ensureCapacity(int groups) {
    if (groups > capacity) {
      int next = Math.max(16, capacity);
      while (next < groups) {
        next += next >> 1;
      }
      grow(next);
      capacity = next;
    }
  }

  protected abstract void grow(int newCapacity);

  /** Folds rows {@code [0, n)} of {@code argument} (null for COUNT(*)) into {@code groups[i]}. */
  public abstract void update(int[] groups, FieldVector argument, int n);

  /**
   * Takes rows {@code [0, n)} of {@code argument} back out of {@code groups[i]}: the inverse of {@link #update}, for
   * the aggregates that {@link io.freshet.exec.aggregate.AggregateCall#retractable() can}.
   */
  public void retract(int[] groups, FieldVector argument, int n) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot take rows back out");
  }

  /** Empties group {@code group} for reuse. */
  public abstract void reset(int group);

  /** Folds group {@code src} into {@code dst} (sessions that merge). */
  public abstract void merge(int dst, int src);

  /**
   * Folds the states in rows {@code [0, n)} of {@code state} (as {@link #writeState} writes them: a partial
   * aggregate each) into {@code groups[i]}, reading each into group {@code scratch}, which no group uses, and which
   * is left empty.
   */
  public void mergeState(int[] groups, List<FieldVector> state, int n, int scratch) {
    ensureCapacity(scratch + 1);
    for (int i = 0; i < n; i++) {
      reset(scratch);
      readState(state, i, scratch);
      merge(groups[i], scratch);
    }
    reset(scratch);
  }

  public abstract FieldVector result(int[] groups, int n, TypeKind type, BufferAllocator allocator);

  /** Keeps groups {@code survivors[0..count)}, renumbered in order. */
  public abstract void compact(int[] survivors, int count);

  public abstract List<Field> stateFields(String prefix);

  public abstract List<FieldVector> writeState(int[] groups, int n, BufferAllocator allocator);

  /** Sets group {@code group} from row {@code row} of its state vectors. */
  public abstract void readState(List<FieldVector> state, int row, int group);

  public abstract long bytes();

  // ------------------------------------------------------------------ helpers

  /**
   * {@code out} holding {@code values[groups[i]]} in row i (null where a value is null), for the first {@code n}
   * groups; closed again if it cannot be filled.
   */
  static <V extends BaseVariableWidthVector> V bytes(V out, byte[][] values, int[] groups, int n) {
    return Owned.orClose(out, v -> {
      v.allocateNew(Math.max(n, 1));
      for (int i = 0; i < n; i++) {
        byte[] value = values[groups[i]];
        if (value == null) {
          v.setNull(i);
        } else {
          v.setSafe(i, value);
        }
      }
      v.setValueCount(n);
    });
  }

  static long[] keep(long[] a, int[] survivors, int count) {
    long[] b = new long[Math.max(16, count)];
    for (int i = 0; i < count; i++) {
      b[i] = a[survivors[i]];
    }
    return b;
  }

  static double[] keep(double[] a, int[] survivors, int count) {
    double[] b = new double[Math.max(16, count)];
    for (int i = 0; i < count; i++) {
      b[i] = a[survivors[i]];
    }
    return b;
  }

  static Field field(String name, ArrowType type) {
    return new Field(name, FieldType.nullable(type), null);
  }

  static final ArrowType BIGINT = new ArrowType.Int(64, true);
  static final ArrowType DOUBLE = new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);

  static BigIntVector longs(long[] a, int[] groups, int n, BufferAllocator allocator) {
    BigIntVector v = new BigIntVector("s", allocator);
    v.allocateNew(Math.max(n, 1));
    for (int i = 0; i < n; i++) {
      v.set(i, a[groups[i]]);
    }
    v.setValueCount(n);
    return v;
  }

  static Float8Vector doubles(double[] a, int[] groups, int n, BufferAllocator allocator) {
    Float8Vector v = new Float8Vector("s", allocator);
    v.allocateNew(Math.max(n, 1));
    for (int i = 0; i < n; i++) {
      v.set(i, a[groups[i]]);
    }
    v.setValueCount(n);
    return v;
  }

  /** A result vector of {@code type} from longs, null where {@code counts[g] == 0} (when counts is given). */
  static FieldVector longResult(long[] values, long[] counts, int[] groups, int n, TypeKind type,
      BufferAllocator allocator) {
    FieldVector out = Vectors.allocate(type, n, allocator);
    long data = Vectors.data(out);
    long validity = Vectors.validity(out);
    int width = type.width();
    for (int i = 0; i < n; i++) {
      int g = groups[i];
      if (counts != null && counts[g] == 0) {
        continue;
      }
      Vectors.setBit(validity, i);
      if (width == 1) {
        if (values[g] != 0) {
          Vectors.setBit(data, i);
        }
      } else if (type == TypeKind.DOUBLE) {
        Vectors.writeDouble(data, i, values[g]);
      } else {
        Vectors.writeLong(data, width, i, values[g]);
      }
    }
    out.setValueCount(n);
    return out;
  }

  /** Reads row {@code i} of an INT, BIGINT, TIMESTAMP or BOOLEAN vector as a long. */
  static long readLong(long data, int width, int i) {
    return width == 1 ? (Vectors.bit(data, i) ? 1 : 0) : Vectors.readLong(data, width, i);
  }
}
