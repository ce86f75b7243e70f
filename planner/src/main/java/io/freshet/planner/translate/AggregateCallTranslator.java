package io.freshet.planner.translate;

import io.freshet.exec.aggregate.AggregateCall;
import io.freshet.exec.types.TypeKind;
import io.freshet.planner.Types;
import io.freshet.streaming.FreshetException;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.type.RelDataType;

/** Translates the aggregate calls of a Calcite {@link Aggregate} into the runtime's {@link AggregateCall}s. */
public final class AggregateCallTranslator {
  private AggregateCallTranslator() {
  }

  /**
   * The aggregate calls, reading input columns through {@code mapping} (identity when null) from a row of type
   * {@code input}; refuses the aggregates the runtime does not compute, saying what to use instead. An aggregate's
   * {@code FILTER (WHERE ...)} is the BOOLEAN input column Calcite computed for it, read through the same mapping.
   */
  public static List<AggregateCall> translate(Aggregate agg, RelDataType input, int[] mapping) {
    List<AggregateCall> calls = new ArrayList<>();
    for (org.apache.calcite.rel.core.AggregateCall c : agg.getAggCallList()) {
      if (c.getArgList().size() > 1) {
        throw FreshetException.user(c.getAggregation().getName() + " with several arguments is not supported");
      }
      int arg = c.getArgList().isEmpty() ? -1 : c.getArgList().get(0);
      if (arg >= 0 && mapping != null) {
        arg = mapping[arg];
      }
      TypeKind argType = arg < 0 ? null : Types.toKind(input.getFieldList().get(arg).getType());
      AggregateCall.Kind kind = switch (c.getAggregation().getKind()) {
        case COUNT -> c.isApproximate() && c.isDistinct() ? AggregateCall.Kind.APPROX_COUNT_DISTINCT
            : c.isDistinct() ? AggregateCall.Kind.COUNT_DISTINCT : AggregateCall.Kind.COUNT;
        case SUM, SUM0 -> AggregateCall.Kind.SUM;
        case MIN -> AggregateCall.Kind.MIN;
        case MAX -> AggregateCall.Kind.MAX;
        case AVG -> AggregateCall.Kind.AVG;
        default -> throw FreshetException.user("The aggregate function " + c.getAggregation().getName()
            + " is not supported; use COUNT, SUM, MIN, MAX, AVG, COUNT(DISTINCT x) or APPROX_COUNT_DISTINCT");
      };
      if (c.isDistinct() && kind != AggregateCall.Kind.COUNT_DISTINCT
          && kind != AggregateCall.Kind.APPROX_COUNT_DISTINCT && kind != AggregateCall.Kind.MIN
          && kind != AggregateCall.Kind.MAX) {
        throw FreshetException.user(c.getAggregation().getName() + "(DISTINCT ...) is not supported; only COUNT");
      }
      if ((kind == AggregateCall.Kind.SUM || kind == AggregateCall.Kind.AVG) && !argType.isNumeric()) {
        throw FreshetException.user(c.getAggregation().getName() + " needs a number, not " + argType.sqlName());
      }
      if (kind == AggregateCall.Kind.COUNT_DISTINCT && arg < 0) {
        throw FreshetException.user("COUNT(DISTINCT *) is not valid");
      }
      int filter = c.filterArg;
      if (filter >= 0 && mapping != null) {
        filter = mapping[filter];
      }
      if (filter >= 0 && Types.toKind(input.getFieldList().get(filter).getType()) != TypeKind.BOOLEAN) {
        throw FreshetException.user("The FILTER of " + c.getAggregation().getName() + " must be a condition");
      }
      calls.add(new AggregateCall(kind, arg, argType, Types.toKind(c.getType()), filter));
    }
    return calls;
  }
}
