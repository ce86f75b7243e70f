package io.freshet.planner;

import io.freshet.streaming.FreshetException;
import java.util.Locale;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.util.SqlBasicVisitor;

/**
 * Flink's and Calcite's legacy group windows, {@code GROUP BY TUMBLE(ts, INTERVAL '10' SECOND)}, are refused with the
 * window table function that replaces them (as Flink itself now recommends), before Calcite turns them into
 * internal functions whose names would mean nothing to the user.
 */
final class LegacyGroupWindows {
  private LegacyGroupWindows() {
  }

  static void refuse(SqlNode query) {
    query.accept(new SqlBasicVisitor<Void>() {
      @Override
      public Void visit(SqlCall call) {
        if (call instanceof SqlSelect select && select.getGroup() != null) {
          for (SqlNode key : select.getGroup()) {
            if (key instanceof SqlCall group) {
              check(group);
            }
          }
        }
        return super.visit(call);
      }
    });
  }

  private static void check(SqlCall group) {
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
