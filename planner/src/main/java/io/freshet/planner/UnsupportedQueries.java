package io.freshet.planner;

import io.freshet.streaming.FreshetException;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Locale;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Window;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.rex.RexSubQuery;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.util.SqlBasicVisitor;

/**
 * Queries Freshet does not run, refused with what to write instead rather than with the name of a Calcite class or
 * internal function: statements nested too deeply to plan, Flink's legacy group windows, OVER aggregations and
 * subqueries.
 */
final class UnsupportedQueries {
  /**
   * The deepest statement planned (parentheses, or terms of a chain of + or AND): planning time grows faster than
   * the depth, and 10 000 levels take seconds.
   */
  static final int MAX_DEPTH = 10_000;

  static final String SUBQUERIES = "Subqueries in a condition or a column (IN (SELECT ...), EXISTS (SELECT ...), "
      + "(SELECT ...)) are not supported yet: a query reads one stream. For a fixed set of values write IN (1, 2, 3)";

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

  /** An OVER window over anything but a ranking function is an OVER aggregation, which is not supported yet. */
  static void refuseOverAggregations(Window window) {
    for (Window.Group group : window.groups) {
      for (Window.RexWinAggCall call : group.aggCalls) {
        SqlKind kind = call.getOperator().getKind();
        if (kind != SqlKind.ROW_NUMBER && kind != SqlKind.RANK && kind != SqlKind.DENSE_RANK) {
          throw FreshetException.user("OVER aggregations (SUM(x) OVER (PARTITION BY ... ORDER BY ...), COUNT(*) "
              + "OVER (...), ...) are not supported yet. For a running total per key use GROUP BY the key (update "
              + "or complete mode); for a total per window, GROUP BY window_start, window_end of TUMBLE(...) or "
              + "HOP(...). OVER (...) works for a Top-N: ROW_NUMBER(), RANK() or DENSE_RANK() OVER (PARTITION BY "
              + "window_start, window_end ORDER BY ...) filtered with <= N");
        }
      }
    }
  }

  /** Whether a condition or projection of {@code node} holds a subquery. */
  static boolean hasSubQuery(RelNode node) {
    boolean[] found = {false};
    node.accept(new RexShuttle() {
      @Override
      public RexNode visitSubQuery(RexSubQuery subQuery) {
        found[0] = true;
        return subQuery;
      }
    });
    return found[0];
  }
}
