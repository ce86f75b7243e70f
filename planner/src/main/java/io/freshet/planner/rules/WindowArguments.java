package io.freshet.planner.rules;

import io.freshet.exec.types.TypeKind;
import io.freshet.planner.PlannerTable;
import io.freshet.planner.Types;
import io.freshet.planner.rel.StreamRel;
import io.freshet.planner.rel.StreamTableScan;
import io.freshet.planner.rel.TimeAttribute;
import io.freshet.streaming.FreshetException;
import java.math.BigDecimal;
import java.util.Locale;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.TableFunctionScan;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;

/** Reads and checks the arguments of a window table function (TUMBLE, HOP, CUMULATE, SESSION). */
final class WindowArguments {
  private WindowArguments() {
  }

  /** The function's name in upper case: TUMBLE, HOP, CUMULATE or SESSION. */
  static String function(TableFunctionScan scan) {
    return call(scan).getOperator().getName().toUpperCase(Locale.ROOT);
  }

  static boolean isSession(TableFunctionScan scan) {
    return function(scan).equals("SESSION");
  }

  static RexCall call(TableFunctionScan scan) {
    return (RexCall) scan.getCall();
  }

  /**
   * The column its DESCRIPTOR names, which must be a time attribute of {@code input}: a stream's row time or the
   * window time of an inner window aggregation (any TIMESTAMP of a bounded table), or for TUMBLE, HOP and CUMULATE a
   * processing time ({@code PROCTIME()}).
   */
  static int timeColumn(TableFunctionScan scan, RelNode input) {
    String function = function(scan);
    RexNode descriptor = call(scan).getOperands().get(0);
    if (!(descriptor instanceof RexCall d && d.getOperands().size() == 1
        && d.getOperands().get(0) instanceof RexInputRef ref)) {
      throw FreshetException.user(function + " needs DESCRIPTOR(column) naming one event-time column");
    }
    int column = ref.getIndex();
    RelDataTypeField field = input.getRowType().getFieldList().get(column);
    TypeKind type = Types.toKind(field.getType());
    if (type != TypeKind.TIMESTAMP) {
      throw FreshetException.user(function + "'s DESCRIPTOR names " + field.getName() + ", which is "
          + type.sqlName() + "; it must be a TIMESTAMP event-time column");
    }
    TimeAttribute attribute = StreamRel.timeAttributesOf(input).get(column);
    if (attribute.isProcessingTime() && function.equals("SESSION")) {
      throw FreshetException.user("SESSION over DESCRIPTOR(" + field.getName() + "), a processing time, is not "
          + "supported: sessions follow event time (a column with a WATERMARK); processing-time windows are TUMBLE, "
          + "HOP and CUMULATE");
    }
    if (attribute.isProcessingTime()) {
      return column;
    }
    PlannerTable source = StreamTableScan.sourceBelow(input);
    if (!attribute.isEventTime() && !source.bounded()) {
      String name = field.getName();
      throw FreshetException.user(function + " over DESCRIPTOR(" + name + ") needs an event-time column: declare a "
          + "watermark on it (CREATE STREAM " + source.name() + " (..., WATERMARK FOR " + name + " AS " + name
          + " - INTERVAL '5' SECOND) ...), use window_time of an inner window aggregation, or window by processing "
          + "time: a column PROCTIME() (SELECT *, PROCTIME() AS p_time FROM " + source.name() + ")");
    }
    return column;
  }

  /** Argument {@code index}, an interval literal, in milliseconds; {@code what} names it in messages. */
  static long interval(TableFunctionScan scan, int index, String what) {
    String function = function(scan);
    RexNode node = call(scan).getOperands().get(index);
    if (node instanceof RexLiteral literal && literal.getValue() instanceof BigDecimal ms) {
      long value = ms.longValue();
      if (value <= 0 && !what.equals("offset")) {
        throw FreshetException.user(function + "'s " + what + " must be positive");
      }
      return value;
    }
    throw FreshetException.user(function + "'s " + what + " must be an INTERVAL literal, e.g. INTERVAL '10' SECOND");
  }
}
