package io.freshet.exec.aggregate;

import io.freshet.exec.batch.Owned;
import io.freshet.exec.expr.Vectors;
import io.freshet.exec.types.TypeKind;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;

/**
 * The running value of one aggregate for every group, in primitive arrays indexed by group id. {@link #update}
 * folds a batch in column by column; {@link #result} builds the output vector for a list of groups; the state
 * methods write and read the checkpointed form (Arrow vectors, no Java serialization).
 */
abstract class Accumulator {
  protected int capacity;

  static Accumulator create(AggregateCall call) {
    TypeKind arg = call.argumentType();
    return switch (call.kind()) {
      case COUNT -> new Count(call.argument() < 0);
      case SUM -> arg == TypeKind.DOUBLE ? new SumDouble(call.resultType(), false) : new SumLong(call.resultType(), false);
      case AVG -> arg == TypeKind.DOUBLE ? new SumDouble(call.resultType(), true) : new SumLong(call.resultType(), true);
      case MIN, MAX -> {
        boolean max = call.kind() == AggregateCall.Kind.MAX;
        if (arg == TypeKind.VARCHAR) {
          yield new MinMaxString(max);
        }
        yield arg == TypeKind.DOUBLE ? new MinMaxDouble(max) : new MinMaxLong(arg, max);
      }
      case APPROX_COUNT_DISTINCT -> new ApproxDistinct(arg);
      case COUNT_DISTINCT -> throw new IllegalArgumentException("COUNT DISTINCT keeps a DistinctSet");
    };
  }

  /** Makes room for groups {@code 0..groups-1}; new groups start empty. */
  final void ensureCapacity(int groups) {
    if (groups > capacity) {
      int next = Math.max(16, capacity);
      while (next < groups) {
        next *= 2;
      }
      grow(next);
      capacity = next;
    }
  }

  protected abstract void grow(int newCapacity);

  /** Folds rows {@code [0, n)} of {@code argument} (null for COUNT(*)) into {@code groups[i]}. */
  abstract void update(int[] groups, FieldVector argument, int n);

  /** Empties group {@code group} for reuse. */
  abstract void reset(int group);

  /** Folds group {@code src} into {@code dst} (sessions that merge). */
  abstract void merge(int dst, int src);

  abstract FieldVector result(int[] groups, int n, TypeKind type, BufferAllocator allocator);

  /** Keeps groups {@code survivors[0..count)}, renumbered in order. */
  abstract void compact(int[] survivors, int count);

  abstract List<Field> stateFields(String prefix);

  abstract List<FieldVector> writeState(int[] groups, int n, BufferAllocator allocator);

  /**
   * {@code out} holding {@code values[groups[i]]} in row i (null where a value is null), for the first {@code n}
   * groups; closed again if it cannot be filled.
   */
  static <V extends org.apache.arrow.vector.BaseVariableWidthVector> V bytes(V out, byte[][] values, int[] groups,
      int n) {
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

  /** Sets group {@code group} from row {@code row} of its state vectors. */
  abstract void readState(List<FieldVector> state, int row, int group);

  abstract long bytes();

  // ------------------------------------------------------------------ helpers

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

  // ------------------------------------------------------------------ COUNT

  /** COUNT(*) counts rows; COUNT(x) counts rows where x is not null. */
  static final class Count extends Accumulator {
    private final boolean star;
    long[] counts = new long[0];

    Count(boolean star) {
      this.star = star;
    }

    @Override
    protected void grow(int newCapacity) {
      counts = Arrays.copyOf(counts, newCapacity);
    }

    @Override
    void update(int[] groups, FieldVector argument, int n) {
      long[] c = counts;
      if (star || argument.getNullCount() == 0) {
        for (int i = 0; i < n; i++) {
          c[groups[i]]++;
        }
        return;
      }
      long validity = Vectors.validity(argument);
      for (int i = 0; i < n; i++) {
        c[groups[i]] += (MemoryUtil.getByte(validity + (i >>> 3)) >>> (i & 7)) & 1;
      }
    }

    @Override
    void reset(int group) {
      counts[group] = 0;
    }

    @Override
    void merge(int dst, int src) {
      counts[dst] += counts[src];
    }

    @Override
    FieldVector result(int[] groups, int n, TypeKind type, BufferAllocator allocator) {
      return longResult(counts, null, groups, n, type, allocator);
    }

    @Override
    void compact(int[] survivors, int count) {
      counts = keep(counts, survivors, count);
      capacity = counts.length;
    }

    @Override
    List<Field> stateFields(String prefix) {
      return List.of(field(prefix + "count", BIGINT));
    }

    @Override
    List<FieldVector> writeState(int[] groups, int n, BufferAllocator allocator) {
      return List.of(longs(counts, groups, n, allocator));
    }

    @Override
    void readState(List<FieldVector> state, int row, int group) {
      counts[group] = ((BigIntVector) state.get(0)).get(row);
    }

    @Override
    long bytes() {
      return counts.length * 8L;
    }
  }

  // ------------------------------------------------------------------ SUM and AVG over integers

  /** SUM (null when no value) or AVG (truncated to the integer result type, as SQL's AVG of integers is). */
  static final class SumLong extends Accumulator {
    private final TypeKind resultType;
    private final boolean average;
    long[] sums = new long[0];
    long[] counts = new long[0];

    SumLong(TypeKind resultType, boolean average) {
      this.resultType = resultType;
      this.average = average;
    }

    @Override
    protected void grow(int newCapacity) {
      sums = Arrays.copyOf(sums, newCapacity);
      counts = Arrays.copyOf(counts, newCapacity);
    }

    @Override
    void update(int[] groups, FieldVector argument, int n) {
      long data = Vectors.data(argument);
      int width = argument.getField().getType() instanceof ArrowType.Int i ? i.getBitWidth() / 8 : 8;
      long[] s = sums;
      long[] c = counts;
      if (argument.getNullCount() == 0) {
        if (width == 8) {
          for (int i = 0; i < n; i++) {
            int g = groups[i];
            s[g] += MemoryUtil.getLong(data + ((long) i << 3));
            c[g]++;
          }
        } else {
          for (int i = 0; i < n; i++) {
            int g = groups[i];
            s[g] += MemoryUtil.getInt(data + ((long) i << 2));
            c[g]++;
          }
        }
        return;
      }
      long validity = Vectors.validity(argument);
      for (int i = 0; i < n; i++) {
        if (Vectors.bit(validity, i)) {
          int g = groups[i];
          s[g] += Vectors.readLong(data, width, i);
          c[g]++;
        }
      }
    }

    @Override
    void reset(int group) {
      sums[group] = 0;
      counts[group] = 0;
    }

    @Override
    void merge(int dst, int src) {
      sums[dst] += sums[src];
      counts[dst] += counts[src];
    }

    @Override
    FieldVector result(int[] groups, int n, TypeKind type, BufferAllocator allocator) {
      if (!average) {
        return longResult(sums, counts, groups, n, type, allocator);
      }
      FieldVector out = Vectors.allocate(type, n, allocator);
      long data = Vectors.data(out);
      long validity = Vectors.validity(out);
      for (int i = 0; i < n; i++) {
        int g = groups[i];
        if (counts[g] == 0) {
          continue;
        }
        Vectors.setBit(validity, i);
        if (type == TypeKind.DOUBLE) {
          Vectors.writeDouble(data, i, (double) sums[g] / counts[g]);
        } else {
          Vectors.writeLong(data, type.width(), i, sums[g] / counts[g]);
        }
      }
      out.setValueCount(n);
      return out;
    }

    @Override
    void compact(int[] survivors, int count) {
      sums = keep(sums, survivors, count);
      counts = keep(counts, survivors, count);
      capacity = sums.length;
    }

    @Override
    List<Field> stateFields(String prefix) {
      return List.of(field(prefix + "sum", BIGINT), field(prefix + "count", BIGINT));
    }

    @Override
    List<FieldVector> writeState(int[] groups, int n, BufferAllocator allocator) {
      return List.of(longs(sums, groups, n, allocator), longs(counts, groups, n, allocator));
    }

    @Override
    void readState(List<FieldVector> state, int row, int group) {
      sums[group] = ((BigIntVector) state.get(0)).get(row);
      counts[group] = ((BigIntVector) state.get(1)).get(row);
    }

    @Override
    long bytes() {
      return sums.length * 16L;
    }
  }

  // ------------------------------------------------------------------ SUM and AVG over doubles

  static final class SumDouble extends Accumulator {
    private final TypeKind resultType;
    private final boolean average;
    double[] sums = new double[0];
    long[] counts = new long[0];

    SumDouble(TypeKind resultType, boolean average) {
      this.resultType = resultType;
      this.average = average;
    }

    @Override
    protected void grow(int newCapacity) {
      sums = Arrays.copyOf(sums, newCapacity);
      counts = Arrays.copyOf(counts, newCapacity);
    }

    @Override
    void update(int[] groups, FieldVector argument, int n) {
      long data = Vectors.data(argument);
      long validity = Vectors.validity(argument);
      boolean nullable = argument.getNullCount() > 0;
      for (int i = 0; i < n; i++) {
        if (!nullable || Vectors.bit(validity, i)) {
          int g = groups[i];
          sums[g] += Vectors.readDouble(data, i);
          counts[g]++;
        }
      }
    }

    @Override
    void reset(int group) {
      sums[group] = 0;
      counts[group] = 0;
    }

    @Override
    void merge(int dst, int src) {
      sums[dst] += sums[src];
      counts[dst] += counts[src];
    }

    @Override
    FieldVector result(int[] groups, int n, TypeKind type, BufferAllocator allocator) {
      FieldVector out = Vectors.allocate(type, n, allocator);
      long data = Vectors.data(out);
      long validity = Vectors.validity(out);
      for (int i = 0; i < n; i++) {
        int g = groups[i];
        if (counts[g] == 0) {
          continue;
        }
        Vectors.setBit(validity, i);
        double value = average ? sums[g] / counts[g] : sums[g];
        if (type == TypeKind.DOUBLE) {
          Vectors.writeDouble(data, i, value);
        } else {
          Vectors.writeLong(data, type.width(), i, (long) value);
        }
      }
      out.setValueCount(n);
      return out;
    }

    @Override
    void compact(int[] survivors, int count) {
      sums = keep(sums, survivors, count);
      counts = keep(counts, survivors, count);
      capacity = sums.length;
    }

    @Override
    List<Field> stateFields(String prefix) {
      return List.of(field(prefix + "sum", DOUBLE), field(prefix + "count", BIGINT));
    }

    @Override
    List<FieldVector> writeState(int[] groups, int n, BufferAllocator allocator) {
      return List.of(doubles(sums, groups, n, allocator), longs(counts, groups, n, allocator));
    }

    @Override
    void readState(List<FieldVector> state, int row, int group) {
      sums[group] = ((Float8Vector) state.get(0)).get(row);
      counts[group] = ((BigIntVector) state.get(1)).get(row);
    }

    @Override
    long bytes() {
      return sums.length * 16L;
    }
  }

  // ------------------------------------------------------------------ MIN and MAX

  /** MIN/MAX of INT, BIGINT, TIMESTAMP and BOOLEAN values; {@code counts} tells whether a group has one. */
  static final class MinMaxLong extends Accumulator {
    private final int width;
    private final boolean max;
    long[] values = new long[0];
    long[] counts = new long[0];

    MinMaxLong(TypeKind type, boolean max) {
      this.width = type.width();
      this.max = max;
    }

    /** Values start at the identity of MIN or MAX, so that an update needs no test for an empty group. */
    private long identity() {
      return max ? Long.MIN_VALUE : Long.MAX_VALUE;
    }

    @Override
    protected void grow(int newCapacity) {
      int old = values.length;
      values = Arrays.copyOf(values, newCapacity);
      Arrays.fill(values, old, newCapacity, identity());
      counts = Arrays.copyOf(counts, newCapacity);
    }

    @Override
    void update(int[] groups, FieldVector argument, int n) {
      long data = Vectors.data(argument);
      long validity = Vectors.validity(argument);
      boolean nullable = argument.getNullCount() > 0;
      long[] v = values;
      long[] c = counts;
      if (!nullable && width == 8) {
        if (max) {
          for (int i = 0; i < n; i++) {
            int g = groups[i];
            v[g] = Math.max(v[g], MemoryUtil.getLong(data + ((long) i << 3)));
            c[g]++;
          }
        } else {
          for (int i = 0; i < n; i++) {
            int g = groups[i];
            v[g] = Math.min(v[g], MemoryUtil.getLong(data + ((long) i << 3)));
            c[g]++;
          }
        }
        return;
      }
      for (int i = 0; i < n; i++) {
        if (nullable && !Vectors.bit(validity, i)) {
          continue;
        }
        int g = groups[i];
        long x = readLong(data, width, i);
        v[g] = max ? Math.max(v[g], x) : Math.min(v[g], x);
        c[g]++;
      }
    }

    @Override
    void reset(int group) {
      values[group] = identity();
      counts[group] = 0;
    }

    @Override
    void merge(int dst, int src) {
      if (counts[src] == 0) {
        return;
      }
      values[dst] = max ? Math.max(values[dst], values[src]) : Math.min(values[dst], values[src]);
      counts[dst] += counts[src];
    }

    @Override
    FieldVector result(int[] groups, int n, TypeKind type, BufferAllocator allocator) {
      return longResult(values, counts, groups, n, type, allocator);
    }

    @Override
    void compact(int[] survivors, int count) {
      values = keep(values, survivors, count);
      Arrays.fill(values, count, values.length, identity());
      counts = keep(counts, survivors, count);
      capacity = values.length;
    }

    @Override
    List<Field> stateFields(String prefix) {
      return List.of(field(prefix + "value", BIGINT), field(prefix + "count", BIGINT));
    }

    @Override
    List<FieldVector> writeState(int[] groups, int n, BufferAllocator allocator) {
      return List.of(longs(values, groups, n, allocator), longs(counts, groups, n, allocator));
    }

    @Override
    void readState(List<FieldVector> state, int row, int group) {
      values[group] = ((BigIntVector) state.get(0)).get(row);
      counts[group] = ((BigIntVector) state.get(1)).get(row);
    }

    @Override
    long bytes() {
      return values.length * 16L;
    }
  }

  static final class MinMaxDouble extends Accumulator {
    private final boolean max;
    double[] values = new double[0];
    long[] counts = new long[0];

    MinMaxDouble(boolean max) {
      this.max = max;
    }

    @Override
    protected void grow(int newCapacity) {
      values = Arrays.copyOf(values, newCapacity);
      counts = Arrays.copyOf(counts, newCapacity);
    }

    @Override
    void update(int[] groups, FieldVector argument, int n) {
      long data = Vectors.data(argument);
      long validity = Vectors.validity(argument);
      boolean nullable = argument.getNullCount() > 0;
      for (int i = 0; i < n; i++) {
        if (nullable && !Vectors.bit(validity, i)) {
          continue;
        }
        int g = groups[i];
        double x = Vectors.readDouble(data, i);
        values[g] = counts[g] == 0 ? x : max ? Math.max(values[g], x) : Math.min(values[g], x);
        counts[g]++;
      }
    }

    @Override
    void reset(int group) {
      values[group] = 0;
      counts[group] = 0;
    }

    @Override
    void merge(int dst, int src) {
      if (counts[src] == 0) {
        return;
      }
      values[dst] = counts[dst] == 0 ? values[src]
          : max ? Math.max(values[dst], values[src]) : Math.min(values[dst], values[src]);
      counts[dst] += counts[src];
    }

    @Override
    FieldVector result(int[] groups, int n, TypeKind type, BufferAllocator allocator) {
      FieldVector out = Vectors.allocate(type, n, allocator);
      long data = Vectors.data(out);
      long validity = Vectors.validity(out);
      for (int i = 0; i < n; i++) {
        int g = groups[i];
        if (counts[g] != 0) {
          Vectors.setBit(validity, i);
          Vectors.writeDouble(data, i, values[g]);
        }
      }
      out.setValueCount(n);
      return out;
    }

    @Override
    void compact(int[] survivors, int count) {
      values = keep(values, survivors, count);
      counts = keep(counts, survivors, count);
      capacity = values.length;
    }

    @Override
    List<Field> stateFields(String prefix) {
      return List.of(field(prefix + "value", DOUBLE), field(prefix + "count", BIGINT));
    }

    @Override
    List<FieldVector> writeState(int[] groups, int n, BufferAllocator allocator) {
      return List.of(doubles(values, groups, n, allocator), longs(counts, groups, n, allocator));
    }

    @Override
    void readState(List<FieldVector> state, int row, int group) {
      values[group] = ((Float8Vector) state.get(0)).get(row);
      counts[group] = ((BigIntVector) state.get(1)).get(row);
    }

    @Override
    long bytes() {
      return values.length * 16L;
    }
  }

  /** MIN/MAX of strings in code point order (byte order of UTF-8); one byte array per group, none per row. */
  static final class MinMaxString extends Accumulator {
    private final boolean max;
    byte[][] values = new byte[0][];

    MinMaxString(boolean max) {
      this.max = max;
    }

    @Override
    protected void grow(int newCapacity) {
      values = Arrays.copyOf(values, newCapacity);
    }

    @Override
    void update(int[] groups, FieldVector argument, int n) {
      VarCharVector s = (VarCharVector) argument;
      long offsets = s.getOffsetBufferAddress();
      long data = s.getDataBufferAddress();
      long validity = Vectors.validity(s);
      boolean nullable = s.getNullCount() > 0;
      for (int i = 0; i < n; i++) {
        if (nullable && !Vectors.bit(validity, i)) {
          continue;
        }
        int g = groups[i];
        int start = Vectors.stringStart(offsets, i);
        int length = Vectors.stringEnd(offsets, i) - start;
        byte[] cur = values[g];
        if (cur == null || better(data + start, length, cur)) {
          byte[] copy = new byte[length];
          MemoryUtil.copyFromMemory(data + start, copy, 0, length);
          values[g] = copy;
        }
      }
    }

    private boolean better(long address, int length, byte[] current) {
      int n = Math.min(length, current.length);
      for (int k = 0; k < n; k++) {
        int a = MemoryUtil.getByte(address + k) & 0xFF;
        int b = current[k] & 0xFF;
        if (a != b) {
          return max ? a > b : a < b;
        }
      }
      return max ? length > current.length : length < current.length;
    }

    @Override
    void reset(int group) {
      values[group] = null;
    }

    @Override
    void merge(int dst, int src) {
      byte[] a = values[dst];
      byte[] b = values[src];
      if (b != null && (a == null || (max ? Arrays.compareUnsigned(b, a) > 0 : Arrays.compareUnsigned(b, a) < 0))) {
        values[dst] = b;
      }
    }

    @Override
    FieldVector result(int[] groups, int n, TypeKind type, BufferAllocator allocator) {
      return bytes(new VarCharVector("v", allocator), values, groups, n);
    }

    @Override
    void compact(int[] survivors, int count) {
      byte[][] b = new byte[Math.max(16, count)][];
      for (int i = 0; i < count; i++) {
        b[i] = values[survivors[i]];
      }
      values = b;
      capacity = b.length;
    }

    @Override
    List<Field> stateFields(String prefix) {
      return List.of(field(prefix + "value", ArrowType.Utf8.INSTANCE));
    }

    @Override
    List<FieldVector> writeState(int[] groups, int n, BufferAllocator allocator) {
      return List.of(result(groups, n, TypeKind.VARCHAR, allocator));
    }

    @Override
    void readState(List<FieldVector> state, int row, int group) {
      VarCharVector v = (VarCharVector) state.get(0);
      values[group] = v.isNull(row) ? null : v.get(row);
    }

    @Override
    long bytes() {
      long total = values.length * 8L;
      for (byte[] v : values) {
        total += v == null ? 0 : v.length + 16;
      }
      return total;
    }
  }

  // ------------------------------------------------------------------ APPROX_COUNT_DISTINCT

  /**
   * HyperLogLog with 2^11 one-byte registers per group (standard error about 2.3 %), allocated at a group's first
   * value. Values hash as the key table hashes them, so equal values count once.
   */
  static final class ApproxDistinct extends Accumulator {
    static final int P = 11;
    static final int M = 1 << P;
    private final TypeKind type;
    byte[][] registers = new byte[0][];

    ApproxDistinct(TypeKind type) {
      this.type = type;
    }

    @Override
    protected void grow(int newCapacity) {
      registers = Arrays.copyOf(registers, newCapacity);
    }

    @Override
    void update(int[] groups, FieldVector argument, int n) {
      KeyColumn hasher = KeyColumn.of(type);
      hasher.bind(argument);
      for (int i = 0; i < n; i++) {
        if (argument.isNull(i)) {
          continue;
        }
        long h = KeyColumn.mix(hasher.valueHash(i) + 0x632BE59BD9B4E019L);
        int g = groups[i];
        byte[] r = registers[g];
        if (r == null) {
          r = registers[g] = new byte[M];
        }
        int index = (int) (h >>> (64 - P));
        int rank = Long.numberOfLeadingZeros((h << P) | (1L << (P - 1))) + 1;
        if (rank > r[index]) {
          r[index] = (byte) rank;
        }
      }
    }

    @Override
    void reset(int group) {
      registers[group] = null;
    }

    @Override
    void merge(int dst, int src) {
      byte[] b = registers[src];
      if (b == null) {
        return;
      }
      byte[] a = registers[dst];
      if (a == null) {
        registers[dst] = b.clone();
        return;
      }
      for (int k = 0; k < M; k++) {
        a[k] = (byte) Math.max(a[k], b[k]);
      }
    }

    static long estimate(byte[] r) {
      if (r == null) {
        return 0;
      }
      double sum = 0;
      int zeros = 0;
      for (byte b : r) {
        sum += 1.0 / (1L << b);
        if (b == 0) {
          zeros++;
        }
      }
      double alpha = 0.7213 / (1 + 1.079 / M);
      double e = alpha * M * M / sum;
      if (e <= 2.5 * M && zeros > 0) {
        e = M * Math.log((double) M / zeros);
      }
      return Math.round(e);
    }

    @Override
    FieldVector result(int[] groups, int n, TypeKind resultType, BufferAllocator allocator) {
      long[] estimates = new long[n];
      int[] identity = new int[n];
      for (int i = 0; i < n; i++) {
        estimates[i] = estimate(registers[groups[i]]);
        identity[i] = i;
      }
      return longResult(estimates, null, identity, n, resultType, allocator);
    }

    @Override
    void compact(int[] survivors, int count) {
      byte[][] b = new byte[Math.max(16, count)][];
      for (int i = 0; i < count; i++) {
        b[i] = registers[survivors[i]];
      }
      registers = b;
      capacity = b.length;
    }

    @Override
    List<Field> stateFields(String prefix) {
      return List.of(field(prefix + "registers", ArrowType.Binary.INSTANCE));
    }

    @Override
    List<FieldVector> writeState(int[] groups, int n, BufferAllocator allocator) {
      return List.of(bytes(new VarBinaryVector("s", allocator), registers, groups, n));
    }

    @Override
    void readState(List<FieldVector> state, int row, int group) {
      VarBinaryVector v = (VarBinaryVector) state.get(0);
      registers[group] = v.isNull(row) ? null : v.get(row);
    }

    @Override
    long bytes() {
      long total = registers.length * 8L;
      for (byte[] r : registers) {
        total += r == null ? 0 : M + 16;
      }
      return total;
    }
  }

  static String utf8(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
