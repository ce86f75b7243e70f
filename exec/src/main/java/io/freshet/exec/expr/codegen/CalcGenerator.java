package io.freshet.exec.expr.codegen;

import io.freshet.exec.expr.Expr;
import io.freshet.exec.types.TypeKind;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.IntFunction;

/**
 * Writes the Java source of a {@link CalcBody} for a filter (its conjuncts) and projections, all in explicit form
 * and {@linkplain RowWriter#supports supported}. Each of {@code filter} and {@code project} dispatches once per
 * batch to a loop written for its case: the columns it reads hold no NULL (every NULL test folded away) or may;
 * the rows are all rows or a selection. The source depends only on the expressions, so equal Calcs give equal
 * text (the cache's key).
 */
final class CalcGenerator {
  /** The generated class's name (in the default package; each compiled class has a class loader of its own). */
  static final String CLASS_NAME = "GeneratedCalc";
  private static final String INDENT = "      ";

  private CalcGenerator() { }

  static String source(List<Expr> conjuncts, List<Expr> projections) {
    StringBuilder s = new StringBuilder();
    s.append("// Freshet: a Calc compiled to one loop per case.\n");
    IntFunction<String> column = i -> "$" + i;
    for (Expr c : conjuncts) {
      s.append("// filter:  ").append(Expr.render(c, column, true)).append('\n');
    }
    for (int k = 0; k < projections.size(); k++) {
      s.append("// out[").append(k).append("]:  ").append(Expr.render(projections.get(k), column, true)).append('\n');
    }
    s.append("import io.freshet.exec.batch.Batch;\n")
        .append("import org.apache.arrow.vector.FieldVector;\n\n")
        .append("public final class ").append(CLASS_NAME).append(" extends ").append(CalcBody.class.getName())
        .append(" {\n");
    filter(s, conjuncts);
    project(s, projections);
    return s.append("}\n").toString();
  }

  private static void filter(StringBuilder s, List<Expr> conjuncts) {
    s.append("\n  public int filter(Batch batch, int count, int[] selection) {\n");
    if (conjuncts.isEmpty()) {
      s.append("    throw new IllegalStateException(\"no generated filter\");\n  }\n");
      return;
    }
    String noNulls = noNullsTest(columns(conjuncts));
    s.append("    if (").append(noNulls).append(") {\n")
        .append("      return filterNoNulls(batch, count, selection);\n    }\n")
        .append("    return filterNulls(batch, count, selection);\n  }\n");
    filterLoop(s, "filterNoNulls", conjuncts, false);
    filterLoop(s, "filterNulls", conjuncts, true);
  }

  private static void filterLoop(StringBuilder s, String name, List<Expr> conjuncts, boolean nulls) {
    StringBuilder body = new StringBuilder();
    RowWriter row = new RowWriter(body, INDENT, nulls);
    String pass = "true";
    for (Expr c : conjuncts) {
      pass = RowWriter.and(pass, RowWriter.isTrue(row.write(c)));
    }
    s.append("\n  private int ").append(name).append("(Batch batch, int count, int[] selection) {\n");
    addresses(s, row);
    s.append("    int kept = 0;\n")
        .append("    for (int row = 0; row < count; row++) {\n")
        .append(body)
        .append(INDENT).append("selection[kept] = row;\n")
        .append(INDENT).append("kept += ").append(pass).append(" ? 1 : 0;\n")
        .append("    }\n    return kept;\n  }\n");
  }

  private static void project(StringBuilder s, List<Expr> projections) {
    s.append("\n  public void project(Batch batch, int[] selection, int count, FieldVector[] out) {\n");
    if (projections.isEmpty()) {
      s.append("    throw new IllegalStateException(\"no generated projection\");\n  }\n");
      return;
    }
    String noNulls = noNullsTest(columns(projections));
    s.append("    boolean noNulls = ").append(noNulls).append(";\n")
        .append("    if (selection == null) {\n")
        .append("      if (noNulls) {\n        projectAllNoNulls(batch, null, count, out);\n")
        .append("      } else {\n        projectAllNulls(batch, null, count, out);\n      }\n")
        .append("    } else if (noNulls) {\n      projectSelectedNoNulls(batch, selection, count, out);\n")
        .append("    } else {\n      projectSelectedNulls(batch, selection, count, out);\n    }\n  }\n");
    projectLoop(s, "projectAllNoNulls", projections, false, false);
    projectLoop(s, "projectAllNulls", projections, false, true);
    projectLoop(s, "projectSelectedNoNulls", projections, true, false);
    projectLoop(s, "projectSelectedNulls", projections, true, true);
  }

  private static void projectLoop(StringBuilder s, String name, List<Expr> projections, boolean selected,
      boolean nulls) {
    StringBuilder body = new StringBuilder();
    StringBuilder bits = new StringBuilder();
    StringBuilder setup = new StringBuilder();
    StringBuilder flush = new StringBuilder();
    StringBuilder last = new StringBuilder();
    RowWriter row = new RowWriter(body, INDENT, nulls);
    for (int k = 0; k < projections.size(); k++) {
      RowWriter.Value v = row.write(projections.get(k));
      TypeKind type = projections.get(k).type();
      setup.append("    final long out").append(k).append(" = data(out[").append(k).append("]);\n");
      if (type == TypeKind.BOOLEAN) {
        bitmap(setup, bits, flush, last, "out" + k, "valueBits" + k, v.value());
      } else {
        String put = type == TypeKind.INT ? "putInt" : type == TypeKind.DOUBLE ? "putDouble" : "putLong";
        bits.append(INDENT).append(put).append("(out").append(k).append(", i, ").append(v.value()).append(");\n");
      }
      if (v.isNull().equals("false")) {
        setup.append("    setAllValid(out[").append(k).append("], count);\n");
      } else {
        setup.append("    final long outValid").append(k).append(" = validity(out[").append(k).append("]);\n");
        bitmap(setup, bits, flush, last, "outValid" + k, "validBits" + k, RowWriter.not(v.isNull()));
      }
    }
    s.append("\n  private void ").append(name)
        .append("(Batch batch, int[] selection, int count, FieldVector[] out) {\n");
    addresses(s, row);
    s.append(setup)
        .append("    for (int i = 0; i < count; i++) {\n")
        .append(INDENT).append("final int row = ").append(selected ? "selection[i]" : "i").append(";\n")
        .append(body)
        .append(bits);
    if (flush.length() > 0) {
      s.append(INDENT).append("if ((i & 63) == 63) {\n").append(flush).append(INDENT).append("}\n");
    }
    s.append("    }\n").append(last).append("  }\n");
  }

  /** A bitmap written a 64-bit word at a time: {@code word} gathers the bits of the rows since the last word. */
  private static void bitmap(StringBuilder setup, StringBuilder bits, StringBuilder flush, StringBuilder last,
      String address, String word, String bit) {
    setup.append("    long ").append(word).append(" = 0L;\n");
    bits.append(INDENT).append(word).append(" |= (").append(bit).append(" ? 1L : 0L) << i;\n");
    flush.append(INDENT).append("  putBits(").append(address).append(", i, ").append(word).append(");\n")
        .append(INDENT).append("  ").append(word).append(" = 0L;\n");
    last.append("    putLastBits(").append(address).append(", count, ").append(word).append(");\n");
  }

  /** Declares the buffer addresses the loop body reads. */
  private static void addresses(StringBuilder s, RowWriter row) {
    for (int c : row.dataColumns()) {
      s.append("    final long data").append(c).append(" = data(batch, ").append(c).append(");\n");
    }
    for (int c : row.validityColumns()) {
      s.append("    final long valid").append(c).append(" = validity(batch, ").append(c).append(");\n");
    }
  }

  private static String noNullsTest(Set<Integer> columns) {
    StringBuilder test = new StringBuilder();
    for (int c : columns) {
      test.append(test.length() == 0 ? "" : " && ").append("noNulls(batch, ").append(c).append(')');
    }
    return test.length() == 0 ? "true" : test.toString();
  }

  /** The columns {@code expressions} read. */
  private static Set<Integer> columns(List<Expr> expressions) {
    Set<Integer> columns = new TreeSet<>();
    for (Expr e : expressions) {
      collect(e, columns);
    }
    return columns;
  }

  private static void collect(Expr e, Set<Integer> columns) {
    if (e instanceof Expr.ColumnRef r) {
      columns.add(r.index());
    }
    for (Expr a : Expr.args(e)) {
      collect(a, columns);
    }
  }
}
