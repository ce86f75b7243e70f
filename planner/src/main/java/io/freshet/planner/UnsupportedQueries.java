package io.freshet.planner;

import io.freshet.streaming.FreshetException;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.SqlWithItem;
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

  /**
   * Refuses, before Calcite sees it, a statement nested too deeply, using the legacy group windows, or reading a
   * table that is not versioned {@code FOR SYSTEM_TIME AS OF} a time; {@code tables} finds a table by its name as
   * written (null when there is none).
   */
  static void refuse(SqlNode query, Function<String, PlannerTable> tables) {
    if (depth(query) > MAX_DEPTH) {
      throw SqlParsers.tooDeep(null);
    }
    // The names of WITH items (a view read by the query is one): they name subqueries, not tables.
    Set<String> withItems = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    query.accept(new SqlBasicVisitor<Void>() {
      @Override
      public Void visit(SqlCall call) {
        if (call instanceof SqlWithItem item) {
          withItems.add(item.name.getSimple());
        }
        return super.visit(call);
      }
    });
    query.accept(new SqlBasicVisitor<Void>() {
      @Override
      public Void visit(SqlCall call) {
        if (call.getKind() == SqlKind.SNAPSHOT) {
          refuseUnversioned(call.operand(0), tables, withItems);
          refuseOwnTime(call, call.operand(0));
        }
        if (call.getKind() == SqlKind.AS && call.operand(0).getKind() == SqlKind.SNAPSHOT) {
          refuseOwnTime(call.operand(0), call.operand(1));
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

  /**
   * Refuses {@code FOR SYSTEM_TIME AS OF} over anything but a versioned table, saying what makes one: a primary key
   * and event time.
   */
  private static void refuseUnversioned(SqlNode read, Function<String, PlannerTable> tables, Set<String> withItems) {
    if (!(read instanceof SqlIdentifier id) || id.names.size() == 1 && withItems.contains(id.getSimple())) {
      throw FreshetException.user("FOR SYSTEM_TIME AS OF reads a versioned stream by its name (a stream declared "
          + "with a PRIMARY KEY and a WATERMARK), not a view or a subquery" + (read instanceof SqlIdentifier named
          ? ", which " + named + " (line " + read.getParserPosition().getLineNum() + ", column "
          + read.getParserPosition().getColumnNum() + ") is; name the stream itself" : ""));
    }
    PlannerTable table = tables.apply(String.join(".", id.names));
    if (table == null || table.versioned() || table.bounded()) {
      // A static table is looked up at a processing time (LookupJoins).
      return;
    }
    String example = "CREATE STREAM " + table.name() + " (..., " + (table.primaryKey().isEmpty()
        ? "PRIMARY KEY (" + table.schema().column(0).name() + ") NOT ENFORCED, " : "")
        + "WATERMARK FOR ts AS ts - INTERVAL '5' SECOND) WITH (...)";
    throw FreshetException.user(table.name() + " (line " + id.getParserPosition().getLineNum() + ", column "
        + id.getParserPosition().getColumnNum() + ") is not a versioned table, so FOR SYSTEM_TIME AS OF cannot look "
        + "up its versions: a versioned table has a primary key, each row being the version of its key from the "
        + "row's event time on, " + (table.primaryKey().isEmpty() ? "and " + table.name()
        + " declares none" : "but " + table.name() + " has no event time") + "; declare "
        + (table.primaryKey().isEmpty() ? "one" : "a WATERMARK") + ": " + example + ". (A static table, a bounded "
        + "input, is looked up AS OF a processing time instead: FOR SYSTEM_TIME AS OF s.p_time, p_time a PROCTIME() "
        + "column)");
  }

  /**
   * Refuses {@code FOR SYSTEM_TIME AS OF} a time of the versioned table itself, named {@code name} in the query: it
   * takes the time of each row of the stream joined with it.
   */
  private static void refuseOwnTime(SqlCall snapshot, SqlNode name) {
    if (!(name instanceof SqlIdentifier id) || !(snapshot.operand(1) instanceof SqlIdentifier period)) {
      return;
    }
    String own = id.names.get(id.names.size() - 1);
    if (period.names.size() > 1 && period.names.get(0).equalsIgnoreCase(own)) {
      throw FreshetException.user("FOR SYSTEM_TIME AS OF " + period + " names a time of " + own + " itself; name "
          + "the event time of the stream joined with it, whose rows each get the version in force at their time: "
          + "FROM orders o JOIN rates FOR SYSTEM_TIME AS OF o.ts AS r ON ...");
    }
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
