package io.freshet.planner;

import io.freshet.streaming.FreshetException;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Locale;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.util.SqlBasicVisitor;

/**
 * Statements Freshet does not plan, refused before Calcite sees them with what to write instead: statements nested
 * too deeply to plan and Flink's legacy group windows. Plan shapes it does not run are refused by
 * {@link io.freshet.planner.rules.UnsupportedShapes}.
 */
final class UnsupportedQueries {
  /**
   * The deepest statement planned (parentheses, or terms of a chain of + or AND): planning time grows faster than
   * the depth, and 10 000 levels take seconds.
   */
  static final int MAX_DEPTH = 10_000;

  private UnsupportedQueries() {
  }

  /** Refuses, before Calcite sees it, a statement nested too deeply or using the legacy group windows. */
  static void refuse(SqlNode query) {
    if (depth(query) > MAX_DEPTH) {
      throw SqlParsers.tooDeep(null);
    }
    query.accept(new SqlBasicVisitor<Void>() {
      @Override
      public Void visit(SqlCall call) {
        if (call.getKind() == org.apache.calcite.sql.SqlKind.SNAPSHOT) {
          throw FreshetException.user("Temporal joins (FOR SYSTEM_TIME AS OF) are not supported yet. To join each "
              + "row with the latest row of a table that changes, join the stream with a static table (read when "
              + "the query starts; SET 'static-join.reload' = 'on-change' reads it again), or with the other "
              + "stream on its key with an interval join (ON o.currency = r.currency AND r.ts BETWEEN o.ts - "
              + "INTERVAL '1' MINUTE AND o.ts)");
        }
        if (call instanceof SqlSelect select && select.getGroup() != null) {
          for (SqlNode key : select.getGroup()) {
            if (key instanceof SqlCall group) {
              refuseLegacyGroupWindow(group);
            }
          }
        }
        return super.visit(call);
      }
    });
  }

  /** How deeply {@code node} nests, counted without recursion (the tree may be too deep for the stack). */
  private static int depth(SqlNode node) {
    ArrayDeque<SqlNode> nodes = new ArrayDeque<>();
    ArrayDeque<Integer> depths = new ArrayDeque<>();
    nodes.push(node);
    depths.push(1);
    int max = 0;
    while (!nodes.isEmpty()) {
      SqlNode n = nodes.pop();
      int d = depths.pop();
      max = Math.max(max, d);
      List<SqlNode> children = n instanceof SqlNodeList list ? list.getList()
          : n instanceof SqlCall call ? call.getOperandList() : List.of();
      for (SqlNode child : children) {
        if (child != null) {
          nodes.push(child);
          depths.push(d + 1);
        }
      }
    }
    return max;
  }

  /**
   * Flink's and Calcite's legacy group windows, {@code GROUP BY TUMBLE(ts, INTERVAL '10' SECOND)}, are refused with
   * the window table function that replaces them (as Flink itself now recommends).
   */
  private static void refuseLegacyGroupWindow(SqlCall group) {
    // Calcite's parser names them $TUMBLE, $HOP and $SESSION.
    String name = group.getOperator().getName().toUpperCase(Locale.ROOT).replace("$", "");
    if (!name.equals("TUMBLE") && !name.equals("HOP") && !name.equals("SESSION")) {
      return;
    }
    String example = switch (name) {
      case "TUMBLE" -> "TABLE(TUMBLE(TABLE bid, DESCRIPTOR(ts), INTERVAL '10' SECOND))";
      case "HOP" -> "TABLE(HOP(TABLE bid, DESCRIPTOR(ts), INTERVAL '5' SECOND, INTERVAL '10' SECOND))";
      default -> "TABLE(SESSION(TABLE bid PARTITION BY bidder, DESCRIPTOR(ts), INTERVAL '10' SECOND))";
    };
    throw FreshetException.user("GROUP BY " + name + "(...) at line " + group.getParserPosition().getLineNum()
        + ", column " + group.getParserPosition().getColumnNum() + " is the legacy group-window syntax; Freshet "
        + "uses the window table function, as Flink SQL does now: SELECT window_start, window_end, COUNT(*) FROM "
        + example + " GROUP BY window_start, window_end");
  }
}
