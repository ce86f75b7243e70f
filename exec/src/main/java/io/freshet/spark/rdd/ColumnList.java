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

  /** Integers, Longs or Doubles: 64-bit words (an int widened, a double's bits), boxed back to their kind. */
  static final class NumberColumn extends ColumnList<Object> {
    private static final long serialVersionUID = 1L;
    private final Class<?> kind;
    private final long[] values;

    NumberColumn(Class<?> kind, long[] values, long[] nulls, int size) {
      super(nulls, size);
      this.kind = kind;
      this.values = values;
    }

    @Override
    Object value(int i) {
      long v = values[i];
      if (kind == Integer.class) {
        return (int) v;
      }
      return kind == Long.class ? (Object) v : (Object) Double.longBitsToDouble(v);
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
