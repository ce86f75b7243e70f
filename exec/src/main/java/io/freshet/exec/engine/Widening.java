package io.freshet.exec.engine;

import io.freshet.exec.engine.QueryEvolution.Node;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A source column declared BIGINT where the checkpoint's query had it INT, seen in a stateful node's fingerprint:
 * every word that differs is a typed word that was {@code <x>:INT} and is now {@code <x>:BIGINT} (the column, and
 * the expressions over it whose type follows), and the output types differ only in INT become BIGINT. A key or a
 * value keeps its meaning (INT and BIGINT keys hash alike, and integer accumulators keep BIGINT state), so an
 * aggregation's state is carried, its INT keys and distinct values read as BIGINT. An explicit {@code CAST(x AS
 * INT)} become {@code CAST(x AS BIGINT)} is not a widening (the cast no longer cuts), and stays a difference.
 */
final class Widening {
  private static final String NARROW = ":INT";
  private static final String WIDE = ":BIGINT";

  private Widening() {
  }

  /**
   * {@code before} with what {@code now} widens taken from {@code now}, so that what is left to compare is any
   * other difference; the widened source columns ({@code s.v}) go into {@code widened}. Nothing is taken unless a
   * source column widened.
   */
  static Node widen(Node before, Node now, Set<String> widened) {
    Set<String> columns = new TreeSet<>();
    String operator = widen(before.operator(), now.operator(), columns);
    List<String> aggregates = new ArrayList<>(before.aggregates());
    for (int i = 0; i < Math.min(aggregates.size(), now.aggregates().size()); i++) {
      aggregates.set(i, widen(aggregates.get(i), now.aggregates().get(i), columns));
    }
    List<String> notes = new ArrayList<>(before.notes());
    if (notes.size() == now.notes().size()) {
      for (int i = 0; i < notes.size(); i++) {
        notes.set(i, widen(notes.get(i), now.notes().get(i), columns));
      }
    }
    if (columns.isEmpty()) {
      return before;
    }
    widened.addAll(columns);
    return new Node(before.id(), before.directory(), before.explain(), operator, aggregates, notes,
        widenOutput(before.output(), now.output()));
  }

  /** Whether the state of a node of this kind can be read with INT keys and values as BIGINT. */
  static boolean carries(Node now) {
    return now.explain().startsWith("Aggregate(") || now.explain().startsWith("WindowAggregate(");
  }

  /**
   * {@code now} when {@code before} differs from it only by widened typed words (their columns go into
   * {@code columns}); otherwise {@code before}.
   */
  private static String widen(String before, String now, Set<String> columns) {
    if (before.equals(now)) {
      return before;
    }
    List<String> a = WordDiff.tokens(before);
    List<String> b = WordDiff.tokens(now);
    if (a.size() != b.size()) {
      return before;
    }
    Set<String> found = new TreeSet<>();
    for (int i = 0; i < a.size(); i++) {
      String x = a.get(i);
      if (x.equals(b.get(i))) {
        continue;
      }
      if (!x.endsWith(NARROW) || !b.get(i).equals(x.substring(0, x.length() - NARROW.length()) + WIDE)) {
        return before;
      }
      if (x.length() > NARROW.length()) {
        found.add(x.substring(0, x.length() - NARROW.length())); // a source column, s.v:INT; not an expression's ):INT
      }
    }
    if (found.isEmpty()) {
      return before;
    }
    columns.addAll(found);
    return now;
  }

  /** The output types: {@code before}'s columns with INT read as BIGINT where {@code now} has BIGINT. */
  private static String widenOutput(String before, String now) {
    String[] a = before.substring(1, before.length() - 1).split(", ", -1);
    String[] b = now.substring(1, now.length() - 1).split(", ", -1);
    if (b.length < a.length) {
      return before;
    }
    for (int i = 0; i < a.length; i++) {
      if (a[i].equals("INT") && b[i].equals("BIGINT")) {
        a[i] = "BIGINT";
      }
    }
    return "(" + String.join(", ", a) + ")";
  }
}
