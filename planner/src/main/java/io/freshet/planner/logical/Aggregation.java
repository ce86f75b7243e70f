package io.freshet.planner.logical;

import io.freshet.streaming.FreshetException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.calcite.avatica.util.TimeUnit;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.logical.LogicalTableFunctionScan;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlAggFunction;
import org.apache.calcite.sql.SqlIntervalQualifier;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.tools.RelBuilder;

/**
 * {@code groupBy(keys).agg(aggregates)} as SQL's GROUP BY plans it: a {@code window(...)} key becomes the window
 * table function (TUMBLE, HOP or SESSION) under the aggregation, grouped by {@code window_start} and {@code
 * window_end}; the keys and the aggregates' arguments are projected first, keys first, as Calcite converts SQL.
 */
final class Aggregation {
  private Aggregation() {
  }

  static Expression unalias(Expression e) {
    return e instanceof Expression.Alias a ? unalias(a.operand()) : e;
  }

  static Scope build(FrameBuilder frames, Scope in, List<Expression> keys, List<Expression> aggregates) {
    RelBuilder builder = frames.relBuilder();
    RexConverter rex = frames.rex();
    Expression window = null;
    List<Expression> plainKeys = new ArrayList<>();
    for (Expression k : keys) {
      Expression key = unalias(k);
      if (key instanceof Expression.Window || key instanceof Expression.SessionWindow) {
        if (window != null) {
          throw FreshetException.user("groupBy takes one window, but got " + window.name() + " and " + key.name());
        }
        window = key;
      } else {
        plainKeys.add(k);
      }
    }
    Scope base = window == null ? in : windowed(frames, in, window, plainKeys);
    RexBuilder rb = builder.getRexBuilder();
    List<RexNode> projected = new ArrayList<>();
    List<String> names = new ArrayList<>();
    List<Integer> origins = new ArrayList<>();
    for (Expression k : keys) {
      Expression key = unalias(k);
      if (key == window) {
        // window_start and window_end; w_start and w_end for window(...).as("w").
        String prefix = k instanceof Expression.Alias a ? a.alias() : "window";
        int start = base.size() - 3;
        for (int i = 0; i < 2; i++) {
          projected.add(rb.makeInputRef(base.type(start + i), start + i));
          names.add(prefix + (i == 0 ? "_start" : "_end"));
          origins.add(start + i);
        }
        continue;
      }
      RexNode e = rex.convert(k, base, "groupBy");
      projected.add(e);
      names.add(k.name());
      origins.add(e instanceof RexInputRef ref ? ref.getIndex() : null);
    }
    int keyCount = projected.size();
    List<String> aggregateNames = new ArrayList<>();
    List<Integer> arguments = new ArrayList<>();
    for (Expression a : aggregates) {
      if (!(unalias(a) instanceof Expression.Aggregate call)) {
        throw FreshetException.user("agg(...) takes aggregates such as sum(\"price\") or count(\"*\"), and "
            + a.name() + " is not one");
      }
      aggregateNames.add(a.name());
      if (call.operand() == null) {
        arguments.add(null);
      } else {
        // An argument projected already (a key, or another aggregate's) is read from there, as SQL does.
        RexNode argument = rex.convert(call.operand(), base, "the argument of " + call.name());
        int at = projected.subList(keyCount, projected.size()).indexOf(argument);
        arguments.add(at >= 0 ? keyCount + at : projected.size());
        if (at < 0) {
          projected.add(argument);
        }
      }
    }
    List<String> projectedNames = new ArrayList<>(names);
    while (projectedNames.size() < projected.size()) {
      projectedNames.add("$arg" + projectedNames.size());
    }
    builder.push(base.rel()).project(projected, projectedNames, true);
    List<RelBuilder.AggCall> calls = new ArrayList<>();
    for (int i = 0; i < aggregates.size(); i++) {
      Expression.Aggregate call = (Expression.Aggregate) unalias(aggregates.get(i));
      Integer argument = arguments.get(i);
      List<RexNode> operands = argument == null ? List.of() : List.of(builder.field(argument));
      calls.add(builder.aggregateCall(function(frames, call), operands).distinct(call.distinct())
          .as(aggregateNames.get(i)));
    }
    int[] group = new int[keyCount];
    for (int i = 0; i < keyCount; i++) {
      group[i] = i;
    }
    RelNode rel = builder.aggregate(builder.groupKey(group), calls).build();
    names.addAll(aggregateNames);
    while (origins.size() < names.size()) {
      origins.add(null);
    }
    return base.pick(rel, origins, names);
  }

  private static SqlAggFunction function(FrameBuilder frames, Expression.Aggregate call) {
    String name = call.function().toUpperCase(Locale.ROOT);
    SqlOperator op = switch (name) {
      case "COUNT" -> SqlStdOperatorTable.COUNT;
      case "SUM" -> SqlStdOperatorTable.SUM;
      case "AVG", "MEAN" -> SqlStdOperatorTable.AVG;
      case "MIN" -> SqlStdOperatorTable.MIN;
      case "MAX" -> SqlStdOperatorTable.MAX;
      default -> frames.context().function(name);
    };
    if (!(op instanceof SqlAggFunction agg)) {
      throw FreshetException.user("No aggregate function named '" + call.function() + "'; SHOW FUNCTIONS lists them");
    }
    return agg;
  }

  /**
   * The input with the window table function of {@code window} applied: its columns, then window_start, window_end
   * and window_time. A session window's key is the other grouping keys, which must be columns.
   */
  private static Scope windowed(FrameBuilder frames, Scope in, Expression window, List<Expression> keys) {
    RelBuilder builder = frames.relBuilder();
    RexBuilder rb = builder.getRexBuilder();
    RelDataTypeFactory types = builder.getTypeFactory();
    Expression timeExpression = window instanceof Expression.Window w ? w.time()
        : ((Expression.SessionWindow) window).time();
    if (!(timeExpression instanceof Expression.Ref || timeExpression instanceof Expression.DatasetRef)) {
      throw FreshetException.user(window.name() + "(...) takes the event-time column, as col(\"ts\"), not "
          + timeExpression.name());
    }
    int time = in.resolve(timeExpression);
    List<RexNode> operands = new ArrayList<>();
    operands.add(descriptor(rb, types, List.of(rb.makeInputRef(in.type(time), time))));
    String function;
    if (window instanceof Expression.Window w) {
      if (w.slideMs() == w.sizeMs()) {
        function = "TUMBLE";
        operands.add(interval(rb, w.sizeMs()));
      } else {
        function = "HOP";
        operands.add(interval(rb, w.slideMs()));
        operands.add(interval(rb, w.sizeMs()));
      }
      if (w.offsetMs() != 0) {
        operands.add(interval(rb, w.offsetMs()));
      }
    } else {
      function = "SESSION";
      if (!keys.isEmpty()) {
        List<RexNode> columns = new ArrayList<>();
        for (Expression k : keys) {
          Expression key = unalias(k);
          if (!(key instanceof Expression.Ref || key instanceof Expression.DatasetRef)) {
            throw FreshetException.user("With session_window(...), the other keys of groupBy are the session's key "
                + "and must be columns, not " + key.name());
          }
          int c = in.resolve(key);
          columns.add(rb.makeInputRef(in.type(c), c));
        }
        operands.add(descriptor(rb, types, columns));
      }
      operands.add(interval(rb, ((Expression.SessionWindow) window).gapMs()));
    }
    RelDataType ts = types.createSqlType(SqlTypeName.TIMESTAMP, 3);
    RelDataType rowType = types.builder().addAll(in.rel().getRowType().getFieldList())
        .add("window_start", ts).add("window_end", ts).add("window_time", ts).build();
    RexNode call = rb.makeCall(rowType, frames.context().function(function), operands);
    RelNode scan = LogicalTableFunctionScan.create(in.rel().getCluster(), List.of(in.rel()), call, null, rowType,
        null);
    List<Integer> origins = new ArrayList<>();
    List<String> names = new ArrayList<>(in.names());
    for (int i = 0; i < in.size(); i++) {
      origins.add(i);
    }
    for (String n : List.of("window_start", "window_end", "window_time")) {
      origins.add(null);
      names.add(n);
    }
    return in.pick(scan, origins, names);
  }

  private static RexNode descriptor(RexBuilder rb, RelDataTypeFactory types, List<RexNode> columns) {
    return rb.makeCall(types.createSqlType(SqlTypeName.COLUMN_LIST), SqlStdOperatorTable.DESCRIPTOR, columns);
  }

  private static RexNode interval(RexBuilder rb, long ms) {
    return rb.makeIntervalLiteral(BigDecimal.valueOf(ms),
        new SqlIntervalQualifier(TimeUnit.SECOND, null, SqlParserPos.ZERO));
  }
}
