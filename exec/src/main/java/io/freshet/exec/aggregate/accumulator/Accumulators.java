package io.freshet.exec.aggregate.accumulator;

import io.freshet.exec.aggregate.AggregateCall;
import io.freshet.exec.types.TypeKind;

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
}
