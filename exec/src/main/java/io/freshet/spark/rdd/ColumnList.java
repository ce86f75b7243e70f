package io.freshet.spark.rdd;

import java.nio.charset.StandardCharsets;
import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;
import scala.Tuple2;

/**
 * A read-only list over columns that {@link ColumnBuilder} made: each {@code get} makes the element from the
 * arrays (a String decoded from UTF-8, a boxed number, a new Tuple2), equal to the one stored.
 */
public abstract class ColumnList<T> extends AbstractList<T> implements RandomAccess, java.io.Serializable {
  private static final long serialVersionUID = 1L;
  private final long[] nulls;
  private final int size;

  ColumnList(long[] nulls, int size) {
    this.nulls = nulls;
    this.size = size;
  }

  @Override
  public final int size() {
    return size;
  }

  final boolean isNull(int i) {
    return nulls != null && (nulls[i >>> 6] & (1L << i)) != 0;
  }

  @Override
  public final T get(int i) {
    if (i < 0 || i >= size) {
      throw new IndexOutOfBoundsException("Index " + i + " out of bounds for length " + size);
    }
    return isNull(i) ? null : value(i);
  }

  abstract T value(int i);

  /** Strings: UTF-8 bytes, element i from {@code offsets[i]} to {@code offsets[i + 1]}. */
  static final class StringColumn extends ColumnList<String> {
    private static final long serialVersionUID = 1L;
    private final byte[] data;
    private final int[] offsets;

    StringColumn(byte[] data, int[] offsets, long[] nulls, int size) {
      super(nulls, size);
      this.data = data;
      this.offsets = offsets;
    }

    @Override
    String value(int i) {
      return new String(data, offsets[i], offsets[i + 1] - offsets[i], StandardCharsets.UTF_8);
    }
  }

  static final class IntColumn extends ColumnList<Integer> {
    private static final long serialVersionUID = 1L;
    private final int[] values;

    IntColumn(int[] values, long[] nulls, int size) {
      super(nulls, size);
      this.values = values;
    }

    @Override
    Integer value(int i) {
      return values[i];
    }
  }

  static final class LongColumn extends ColumnList<Long> {
    private static final long serialVersionUID = 1L;
    private final long[] values;

    LongColumn(long[] values, long[] nulls, int size) {
      super(nulls, size);
      this.values = values;
    }

    @Override
    Long value(int i) {
      return values[i];
    }
  }

  static final class DoubleColumn extends ColumnList<Double> {
    private static final long serialVersionUID = 1L;
    private final double[] values;

    DoubleColumn(double[] values, long[] nulls, int size) {
      super(nulls, size);
      this.values = values;
    }

    @Override
    Double value(int i) {
      return values[i];
    }
  }

  /** Pairs: a key column and a value column of the same length. */
  static final class PairColumn<K, V> extends ColumnList<Tuple2<K, V>> {
    private static final long serialVersionUID = 1L;
    private final List<K> keys;
    private final List<V> values;

    PairColumn(List<K> keys, List<V> values, long[] nulls, int size) {
      super(nulls, size);
      this.keys = keys;
      this.values = values;
    }

    @Override
    Tuple2<K, V> value(int i) {
      return new Tuple2<>(keys.get(i), values.get(i));
    }
  }
}
