package io.freshet.planner;

import io.freshet.exec.types.Column;
import io.freshet.streaming.FreshetException;
import io.freshet.streaming.Spelling;
import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.calcite.runtime.CalciteContextException;

/**
 * Calcite's validation errors in Freshet's words: where (line and column, and the place for a caret), what, and for
 * a misspelt stream, column or function the closest name there is.
 */
final class ValidationErrors {
  private static final Pattern OBJECT = Pattern.compile("Object '([^']*)' not found(?: within '([^']*)')?");
  private static final Pattern COLUMN = Pattern.compile("Column '([^']*)' not found in (?:any table|table '([^']*)')");
  private static final Pattern FUNCTION = Pattern.compile("No match found for function signature ([^(]+)\\((.*)\\)");

  private ValidationErrors() {
  }

  /** The error for {@code e}, thrown while validating a query over {@code tables}. */
  static FreshetException of(Throwable e, Collection<PlannerTable> tables) {
    CalciteContextException context = null;
    for (Throwable t = e; t != null && context == null; t = t.getCause()) {
      if (t instanceof CalciteContextException c) {
        context = c;
      }
    }
    if (context == null) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      return FreshetException.user(cause.getMessage(), e);
    }
    String what = context.getCause() != null ? context.getCause().getMessage() : context.getMessage();
    String where = "line " + context.getPosLine() + ", column " + context.getPosColumn();
    FreshetException.Position position = new FreshetException.Position(context.getPosLine(),
        context.getPosColumn(), context.getEndPosLine(), context.getEndPosColumn());
    return FreshetException.user(message(what, where, tables), e).at(position);
  }

  /** {@code names} but {@code word}: a name of another table is no suggestion for a name this one lacks. */
  private static Set<String> without(Set<String> names, String word) {
    names.remove(word);
    return names;
  }

  private static String message(String what, String where, Collection<PlannerTable> tables) {
    Matcher object = OBJECT.matcher(what);
    if (object.matches()) {
      String name = object.group(2) == null ? object.group(1) : object.group(2) + "." + object.group(1);
      Set<String> names = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
      for (PlannerTable t : tables) {
        names.add(t.name());
        names.add(t.name().substring(t.name().indexOf('.') + 1));
      }
      return "No stream, table or view named '" + name + "' (" + where + ")"
          + Spelling.didYouMean(name, without(names, name))
          + "; SHOW STREAMS, SHOW TABLES and SHOW VIEWS list them";
    }
    Matcher column = COLUMN.matcher(what);
    if (column.matches()) {
      Set<String> names = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
      for (PlannerTable t : tables) {
        String table = t.name().substring(t.name().indexOf('.') + 1);
        if (column.group(2) == null || column.group(2).equalsIgnoreCase(table)
            || column.group(2).equalsIgnoreCase(t.name())) {
          t.schema().columns().stream().map(Column::name).forEach(names::add);
        }
      }
      if (names.isEmpty()) {
        // An alias (FROM bid b): any stream's columns.
        tables.forEach(t -> t.schema().columns().stream().map(Column::name).forEach(names::add));
      }
      return "No column named '" + column.group(1) + "'" + (column.group(2) == null ? "" : " in " + column.group(2))
          + " (" + where + ")" + Spelling.didYouMean(column.group(1), without(names, column.group(1)))
          + "; DESCRIBE a stream to list its "
          + "columns";
    }
    Matcher function = FUNCTION.matcher(what);
    if (function.matches()) {
      return "No function " + function.group(1) + " taking (" + function.group(2).replace("<", "").replace(">", "")
          + ") (" + where + ")" + Spelling.didYouMean(function.group(1), Functions.names()) + "; SHOW FUNCTIONS lists them";
    }
    return "SQL error at " + where + ": " + what;
  }
}
