package io.freshet.exec.window;

import io.freshet.exec.aggregate.AggregateCall;
import io.freshet.exec.format.ByteSink;
import io.freshet.exec.state.OrderedBytes;
import io.freshet.exec.types.TypeKind;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;

/**
 * The aggregates of an OVER aggregation over the rows of one partition's frame: COUNT, SUM, AVG, MIN and MAX, each
 * over its argument's values (COUNT(*) over the rows), as rows enter the frame and, for a bounded frame, leave it.
 * Sums of integers are kept in a long, sums of doubles exactly (in a {@link BigDecimal}), so that taking a value
 * back out leaves what adding the others alone would have, whatever the order: the answer does not depend on how the
 * input was cut into batches (NaN and infinities, which a BigDecimal cannot hold, are counted apart). MIN and MAX of
 * a bounded frame keep a count of each value in the frame; of an unbounded frame, only the extreme. An unbounded
 * frame's aggregates are all its state, written with {@link #encode} and read back with {@link #decode}.
 */
final class OverFrame {
  private final List<AggregateCall> calls;
  private final boolean retracts;
  /** Per call: the values counted (rows for COUNT(*)). */
  private final long[] counts;
  private final long[] longSums;
  private final BigDecimal[] doubleSums;
  /** Per call over doubles: how many NaN, +Infinity and -Infinity values it has. */
  private final long[][] nonFinite;
  /** Per MIN or MAX call of a bounded frame: each value in the frame and how often it is there. */
  private final TreeMap<Object, Long>[] values;
  /** Per MIN or MAX call of an unbounded frame: the extreme so far. */
  private final Object[] extremes;

  /** @param retracts whether rows leave the frame (a bounded frame) */
  @SuppressWarnings("unchecked")
  OverFrame(List<AggregateCall> calls, boolean retracts) {
    this.calls = calls;
    this.retracts = retracts;
    int n = calls.size();
    this.counts = new long[n];
    this.longSums = new long[n];
    this.doubleSums = new BigDecimal[n];
    this.nonFinite = new long[n][3];
    this.values = new TreeMap[n];
    this.extremes = new Object[n];
    for (int i = 0; i < n; i++) {
      doubleSums[i] = BigDecimal.ZERO;
      if (retracts && isExtreme(calls.get(i))) {
        values[i] = new TreeMap<>();
      }
    }
  }

  private static boolean isExtreme(AggregateCall call) {
    return call.kind() == AggregateCall.Kind.MIN || call.kind() == AggregateCall.Kind.MAX;
  }

  /** A row enters the frame; {@code args[i]} is call i's argument (ignored for COUNT(*)). */
  void add(Object[] args) {
    fold(args, 1);
  }

  /** A row leaves the frame (bounded frames only). */
  void retract(Object[] args) {
    fold(args, -1);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private void fold(Object[] args, int sign) {
    for (int i = 0; i < counts.length; i++) {
      AggregateCall call = calls.get(i);
      Object v = call.argument() < 0 ? Boolean.TRUE : args[i];
      if (v == null) {
        continue;
      }
      counts[i] += sign;
      switch (call.kind()) {
        case SUM, AVG -> {
          if (call.argumentType() == TypeKind.DOUBLE) {
            double d = (Double) v;
            if (!Double.isFinite(d)) {
              nonFinite[i][Double.isNaN(d) ? 0 : d > 0 ? 1 : 2] += sign;
            } else {
              BigDecimal exact = new BigDecimal(d);
              doubleSums[i] = sign > 0 ? doubleSums[i].add(exact) : doubleSums[i].subtract(exact);
            }
          } else {
            longSums[i] += sign * ((Number) v).longValue();
          }
        }
        case MIN, MAX -> {
          if (values[i] != null) {
            long now = values[i].getOrDefault(v, 0L) + sign;
            if (now == 0) {
              values[i].remove(v);
            } else {
              values[i].put(v, now);
            }
          } else {
            Comparable extreme = (Comparable) extremes[i];
            int c = extreme == null ? 0 : extreme.compareTo(v);
            if (extreme == null || (call.kind() == AggregateCall.Kind.MIN ? c > 0 : c < 0)) {
              extremes[i] = v;
            }
          }
        }
        default -> {
        }
      }
    }
  }

  /** The aggregates of the rows in the frame now, each of its call's result type (null for no values). */
  Object[] results() {
    Object[] out = new Object[counts.length];
    for (int i = 0; i < out.length; i++) {
      AggregateCall call = calls.get(i);
      TypeKind type = call.resultType();
      long n = counts[i];
      out[i] = switch (call.kind()) {
        case COUNT -> cast(n, type);
        case SUM -> n == 0 ? null : call.argumentType() == TypeKind.DOUBLE
            ? cast(doubleSum(i), type) : cast(longSums[i], type);
        case AVG -> n == 0 ? null : call.argumentType() == TypeKind.DOUBLE || type == TypeKind.DOUBLE
            ? cast(sum(i) / n, type) : cast(longSums[i] / n, type);
        case MIN -> values[i] == null ? extremes[i] : values[i].isEmpty() ? null : values[i].firstKey();
        case MAX -> values[i] == null ? extremes[i] : values[i].isEmpty() ? null : values[i].lastKey();
        default -> throw new IllegalStateException(call.kind() + " OVER (...)");
      };
    }
    return out;
  }

  private double sum(int i) {
    return calls.get(i).argumentType() == TypeKind.DOUBLE ? doubleSum(i) : longSums[i];
  }

  /** The sum of call i's doubles: NaN with a NaN or infinities of both signs among them, else an infinity's. */
  private double doubleSum(int i) {
    long[] special = nonFinite[i];
    if (special[0] > 0 || special[1] > 0 && special[2] > 0) {
      return Double.NaN;
    }
    return special[1] > 0 ? Double.POSITIVE_INFINITY : special[2] > 0 ? Double.NEGATIVE_INFINITY
        : doubleSums[i].doubleValue();
  }

  private static Object cast(double v, TypeKind type) {
    return switch (type) {
      case INT -> (int) v;
      case BIGINT -> (long) v;
      default -> v;
    };
  }

  private static Object cast(long v, TypeKind type) {
    return switch (type) {
      case INT -> (int) v;
      case DOUBLE -> (double) v;
      default -> v;
    };
  }

  /** Values an unbounded frame encodes per call. */
  private static final int STATE = 7;

  /**
   * The types of an unbounded frame's encoded aggregates: per call its count, long sum, double sum (as text),
   * extreme, and counts of NaN, +Infinity and -Infinity.
   */
  private TypeKind[] stateTypes() {
    TypeKind[] types = new TypeKind[calls.size() * STATE];
    Arrays.fill(types, TypeKind.BIGINT);
    for (int i = 0; i < calls.size(); i++) {
      AggregateCall call = calls.get(i);
      types[STATE * i + 2] = TypeKind.VARCHAR;
      types[STATE * i + 3] = call.argumentType() == null ? TypeKind.BOOLEAN : call.argumentType();
    }
    return types;
  }

  /** An unbounded frame's aggregates, as bytes. */
  byte[] encode(ByteSink scratch) {
    if (retracts) {
      throw new IllegalStateException("a bounded frame is kept as its rows");
    }
    Object[] state = new Object[calls.size() * STATE];
    for (int i = 0; i < calls.size(); i++) {
      state[STATE * i] = counts[i];
      state[STATE * i + 1] = longSums[i];
      state[STATE * i + 2] = doubleSums[i].toString();
      state[STATE * i + 3] = extremes[i];
      for (int k = 0; k < 3; k++) {
        state[STATE * i + 4 + k] = nonFinite[i][k];
      }
    }
    scratch.clear();
    OrderedBytes.putAll(scratch, state, stateTypes());
    return OrderedBytes.bytes(scratch);
  }

  /** Sets an unbounded frame's aggregates to those {@link #encode} wrote. */
  void decode(byte[] bytes) {
    Object[] state = OrderedBytes.read(bytes, 0, stateTypes());
    for (int i = 0; i < calls.size(); i++) {
      counts[i] = (Long) state[STATE * i];
      longSums[i] = (Long) state[STATE * i + 1];
      doubleSums[i] = new BigDecimal((String) state[STATE * i + 2]);
      extremes[i] = state[STATE * i + 3];
      for (int k = 0; k < 3; k++) {
        nonFinite[i][k] = (Long) state[STATE * i + 4 + k];
      }
    }
  }
}
