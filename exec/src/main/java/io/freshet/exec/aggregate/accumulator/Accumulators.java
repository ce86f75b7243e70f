package io.freshet.exec.aggregate.accumulator;

import io.freshet.exec.aggregate.AggregateCall;
import io.freshet.exec.types.TypeKind;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.apache.arrow.vector.FieldVector;

/**
 * Makes the {@link Accumulator} for an aggregate call, picked by function and argument type. COUNT(DISTINCT x) is
 * not made here: its {@link DistinctCount} needs an allocator for the pairs it keeps.
 */
public final class Accumulators {
  private Accumulators() {
  }

  public static Accumulator create(AggregateCall call) {
    TypeKind arg = call.argumentType();
    return switch (call.kind()) {
      case COUNT -> new Count(call.argument() < 0);
      case SUM -> arg == TypeKind.DOUBLE ? new SumDouble(false) : new SumLong(false);
      case AVG -> arg == TypeKind.DOUBLE ? new SumDouble(true) : new SumLong(true);
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

  /**
   * The state columns of each of {@code accumulators}, in order, as {@link Accumulator#writeState} writes them:
   * {@code column.apply(from)} on.
   */
  public static List<List<FieldVector>> stateColumns(Accumulator[] accumulators, IntFunction<FieldVector> column,
      int from) {
    List<List<FieldVector>> states = new ArrayList<>(accumulators.length);
    int at = from;
    for (Accumulator a : accumulators) {
      int width = a.stateFields("").size();
      List<FieldVector> state = new ArrayList<>(width);
      for (int c = 0; c < width; c++) {
        state.add(column.apply(at + c));
      }
      states.add(state);
      at += width;
    }
    return states;
  }
}
