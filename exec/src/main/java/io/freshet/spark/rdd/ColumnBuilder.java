package io.freshet.spark.rdd;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import scala.Tuple2;

/**
 * Stores the elements of a partition column by column where their type allows: strings as one UTF-8 data array
 * with an offsets array (Arrow's variable-width layout), Integers, Longs and Doubles as an array of 64-bit words,
 * and pairs ({@code Tuple2}) of those as two such columns (nested pairs too), each with a validity bitmap for nulls.
 * The kind is taken from the first non-null element; the first element that does not fit turns the partition
 * into a plain list of objects. A kept RDD thus holds a few arrays per partition instead of an object (or three)
 * per element, which the garbage collector never has to trace.
 *
 * <p>The columns are heap arrays rather than Arrow buffers: an RDD has no close in Spark's API (a program may keep
 * one for as long as it likes), so its memory must be the garbage collector's to free.
 */
public final class ColumnBuilder<T> {
  private Column column;
  private int leadingNulls;
  private ArrayList<Object> objects;

  /** The elements added, in a compact list (read-only). */
  @SuppressWarnings("unchecked")
  public List<T> build() {
    if (objects != null) {
      return (List<T>) objects;
    }
    if (column == null) {
      return (List<T>) new ArrayList<>(java.util.Collections.nCopies(leadingNulls, null));
    }
    return (List<T>) column.build();
  }

  public void add(T element) {
    if (objects != null) {
      objects.add(element);
    } else if (element == null) {
      if (column == null) {
        leadingNulls++;
      } else {
        column.addNull();
      }
    } else {
      if (column == null) {
        column = Column.of(element);
        if (column == null) {
          toObjects(element);
          return;
        }
        for (int i = 0; i < leadingNulls; i++) {
          column.addNull();
        }
      }
      if (!column.offer(element)) {
        toObjects(element);
      }
    }
  }

  private void toObjects(Object next) {
    List<?> sofar = column == null ? java.util.Collections.nCopies(leadingNulls, null) : column.build();
    objects = new ArrayList<>(Math.max(16, sofar.size() * 2));
    objects.addAll(sofar);
    objects.add(next);
    column = null;
  }

  /** A column being built: one kind of value, nulls in a bitmap. */
  abstract static class Column {
    int size;
    long[] nulls;

    /** A column for values of {@code first}'s kind; null when that kind is not stored in columns. */
    static Column of(Object first) {
      Class<?> c = first.getClass();
      if (c == String.class) {
        return new Strings();
      } else if (c == Integer.class || c == Long.class || c == Double.class) {
        return new Numbers(c);
      } else if (c == Tuple2.class) {
        Tuple2<?, ?> t = (Tuple2<?, ?>) first;
        if (t._1() == null || t._2() == null) {
          return null;
        }
        Column k = of(t._1());
        Column v = of(t._2());
        return k == null || v == null ? null : new Pairs(k, v);
      }
      return null;
    }

    /** Adds {@code v} (not null) if it is of this column's kind, else returns false and adds nothing. */
    abstract boolean offer(Object v);

    /** Adds a null: its bit in the bitmap (which grows as needed) and a placeholder in the values. */
    final void addNull() {
      if (nulls == null) {
        nulls = new long[Math.max(1, (size + 64) >>> 6)];
      } else if (nulls.length << 6 <= size) {
        nulls = Arrays.copyOf(nulls, Math.max(nulls.length * 2, (size + 64) >>> 6));
      }
      nulls[size >>> 6] |= 1L << size;
      appendPlaceholder();
      size++;
    }

    /** The values' slot of element {@code size}, which is null (before {@code size} counts it). */
    abstract void appendPlaceholder();

    abstract ColumnList<?> build();

    long[] nullsTrimmed() {
      return nulls == null ? null : Arrays.copyOf(nulls, (size + 63) >>> 6);
    }
  }

  static final class Strings extends Column {
    private byte[] data = new byte[256];
    private int end;
    private int[] offsets = new int[17];

    @Override
    boolean offer(Object v) {
      if (v.getClass() != String.class) {
        return false;
      }
      String s = (String) v;
      int n = s.length();
      if (size + 1 == offsets.length) {
        offsets = Arrays.copyOf(offsets, offsets.length * 2);
      }
      ensureData(end + n);
      int i = 0;
      for (; i < n; i++) {
        char ch = s.charAt(i);
        if (ch >= 0x80) {
          break;
        }
        data[end + i] = (byte) ch;
      }
      if (i == n) {
        end += n;
      } else {
        if (!wellFormed(s, i)) {
          return false; // UTF-8 cannot hold a lone surrogate: the string is kept as it is
        }
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        ensureData(end + utf8.length);
        System.arraycopy(utf8, 0, data, end, utf8.length);
        end += utf8.length;
      }
      offsets[++size] = end;
      return true;
    }

    /** Whether {@code s} from {@code from} has no unpaired surrogate (which would not come back from UTF-8). */
    private static boolean wellFormed(String s, int from) {
      for (int i = from; i < s.length(); i++) {
        char ch = s.charAt(i);
        if (Character.isHighSurrogate(ch)) {
          if (i + 1 == s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
            return false;
          }
          i++;
        } else if (Character.isLowSurrogate(ch)) {
          return false;
        }
      }
      return true;
    }

    private void ensureData(int needed) {
      if (needed > data.length) {
        data = Arrays.copyOf(data, Math.max(needed, data.length * 2));
      }
    }

    @Override
    void appendPlaceholder() {
      if (size + 1 == offsets.length) {
        offsets = Arrays.copyOf(offsets, offsets.length * 2);
      }
      offsets[size + 1] = end;
    }

    @Override
    ColumnList<?> build() {
      return new ColumnList.StringColumn(Arrays.copyOf(data, end), Arrays.copyOf(offsets, size + 1), nullsTrimmed(),
          size);
    }
  }

  /** Integers, Longs or Doubles (one kind per column) as 64-bit words: a long, an int widened, a double's bits. */
  static final class Numbers extends Column {
    private final Class<?> kind;
    private long[] values = new long[16];

    Numbers(Class<?> kind) {
      this.kind = kind;
    }

    Class<?> kind() {
      return kind;
    }

    @Override
    boolean offer(Object v) {
      if (v.getClass() != kind) {
        return false;
      }
      if (size == values.length) {
        values = Arrays.copyOf(values, values.length * 2);
      }
      values[size++] = kind == Double.class ? Double.doubleToRawLongBits((Double) v) : ((Number) v).longValue();
      return true;
    }

    @Override
    void appendPlaceholder() {
      if (size == values.length) {
        values = Arrays.copyOf(values, values.length * 2);
      }
      values[size] = 0;
    }

    @Override
    ColumnList<?> build() {
      return new ColumnList.NumberColumn(kind, Arrays.copyOf(values, size), nullsTrimmed(), size);
    }
  }

  /** Pairs as a key column and a value column; a pair with a null side, or a side of another kind, does not fit. */
  static final class Pairs extends Column {
    private final Column keys;
    private final Column values;

    Pairs(Column keys, Column values) {
      this.keys = keys;
      this.values = values;
    }

    @Override
    boolean offer(Object v) {
      if (v.getClass() != Tuple2.class) {
        return false;
      }
      Tuple2<?, ?> t = (Tuple2<?, ?>) v;
      Object k = t._1();
      Object w = t._2();
      if (k == null || w == null || !fits(keys, k) || !fits(values, w)) {
        return false;
      }
      keys.offer(k);
      values.offer(w);
      size++;
      return true;
    }

    /** Whether {@code v} goes into {@code c} (checked before either side is added, so a misfit adds nothing). */
    private static boolean fits(Column c, Object v) {
      if (c instanceof Pairs p) {
        if (v.getClass() != Tuple2.class) {
          return false;
        }
        Tuple2<?, ?> t = (Tuple2<?, ?>) v;
        return t._1() != null && t._2() != null && fits(p.keys, t._1()) && fits(p.values, t._2());
      }
      Class<?> want = c instanceof Strings ? String.class : ((Numbers) c).kind();
      return v.getClass() == want;
    }

    @Override
    void appendPlaceholder() {
      keys.addNull();
      values.addNull();
    }

    @Override
    ColumnList<?> build() {
      return new ColumnList.PairColumn<>(keys.build(), values.build(), nullsTrimmed(), size);
    }
  }
}
