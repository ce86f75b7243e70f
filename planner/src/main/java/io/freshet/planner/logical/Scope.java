package io.freshet.planner.logical;

import io.freshet.streaming.FreshetException;
import io.freshet.streaming.Spelling;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.type.RelDataType;

/**
 * A logical plan built from a {@link Frame}, with what the Java API knows of its columns: each one's name as the user
 * gave it (Calcite makes the names of a join's columns unique: {@code id} and {@code id0}; here both are {@code
 * id}) and the Datasets it came from (by alias and by frame), so that {@code col("a.id")} and {@code a.col("id")}
 * find it.
 */
record Scope(RelNode rel, List<String> names, List<Set<String>> aliases, List<Set<Frame>> owners) {

  /** A plan whose columns have only their names. */
  static Scope of(RelNode rel) {
    List<String> names = rel.getRowType().getFieldNames();
    List<Set<String>> aliases = new ArrayList<>();
    List<Set<Frame>> owners = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      aliases.add(Set.of());
      owners.add(Set.of());
    }
    return new Scope(rel, names, aliases, owners);
  }

  int size() {
    return names.size();
  }

  RelDataType type(int column) {
    return rel.getRowType().getFieldList().get(column).getType();
  }

  /** The same columns over another plan with the same row shape (a filter of this one, say). */
  Scope over(RelNode other) {
    return new Scope(other, names, aliases, owners);
  }

  /** These columns, each also of the Dataset {@code owner} and named {@code alias} (when not null). */
  Scope ownedBy(Frame owner, String alias) {
    List<Set<String>> a = new ArrayList<>();
    List<Set<Frame>> o = new ArrayList<>();
    for (int i = 0; i < size(); i++) {
      Set<String> as = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
      as.addAll(aliases.get(i));
      if (alias != null) {
        as.add(alias);
      }
      a.add(as);
      Set<Frame> os = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
      os.addAll(owners.get(i));
      os.add(owner);
      o.add(os);
    }
    return new Scope(rel, names, a, o);
  }

  /** The columns of {@code left} then those of {@code right}, over {@code joined}. */
  static Scope concat(RelNode joined, Scope left, Scope right) {
    List<String> names = new ArrayList<>(left.names);
    names.addAll(right.names);
    List<Set<String>> aliases = new ArrayList<>(left.aliases);
    aliases.addAll(right.aliases);
    List<Set<Frame>> owners = new ArrayList<>(left.owners);
    owners.addAll(right.owners);
    return new Scope(joined, names, aliases, owners);
  }

  /** Column {@code i} of this scope, as column {@code i} of a new plan (a projection that keeps it). */
  Scope pick(RelNode projected, List<Integer> columns, List<String> newNames) {
    List<Set<String>> a = new ArrayList<>();
    List<Set<Frame>> o = new ArrayList<>();
    for (Integer c : columns) {
      a.add(c == null ? Set.of() : aliases.get(c));
      o.add(c == null ? Set.of() : owners.get(c));
    }
    return new Scope(projected, newNames, a, o);
  }

  /** The index of the column a reference names, or an error naming the columns there are. */
  int resolve(Expression reference) {
    String name;
    String qualifier = null;
    Frame owner = null;
    if (reference instanceof Expression.Ref r) {
      name = r.name();
      qualifier = r.qualifier();
    } else {
      Expression.DatasetRef d = (Expression.DatasetRef) reference;
      name = d.name();
      owner = d.owner();
    }
    if (qualifier == null && name.toLowerCase(Locale.ROOT).matches("window\\.(start|end)")) {
      qualifier = "window";
      name = name.substring("window.".length());
    }
    List<Integer> named = named(name);
    List<Integer> found = named;
    if (qualifier != null || owner != null) {
      found = new ArrayList<>();
      for (int i : named) {
        if (qualifier != null ? aliases.get(i).contains(qualifier) : owners.get(i).contains(owner)) {
          found.add(i);
        }
      }
      if (found.isEmpty() && owner != null && named.size() == 1 && !owns(owner)) {
        // A column of a Dataset this one was made from, kept under its name.
        found = named;
      }
      if (found.isEmpty() && qualifier != null && name.toLowerCase(Locale.ROOT).matches("start|end")) {
        // Spark's window.start: a window key gives window_start and window_end (w_start for one named w).
        found = named(qualifier + "_" + name);
      }
    }
    if (found.isEmpty() && qualifier == null && owner == null) {
      // The unique name a query gives a repeated one (a join's second auction is auction0).
      List<String> unique = rel.getRowType().getFieldNames();
      for (int i = 0; i < unique.size(); i++) {
        if (unique.get(i).equalsIgnoreCase(name)) {
          found = List.of(i);
        }
      }
    }
    if (found.size() == 1) {
      return found.get(0);
    }
    String shown = (qualifier != null ? qualifier + "." : "") + name;
    if (found.size() > 1) {
      Set<Frame> first = owners.get(found.get(0));
      boolean oneSource = found.stream().allMatch(i -> owners.get(i).equals(first));
      throw FreshetException.user("Column '" + shown + "' is ambiguous: " + found.size() + " columns have that name; "
          + (oneSource ? "name each one of its own with as(...) where it is selected"
          : "name the side of the join, as left.col(\"" + name + "\") or, after left.as(\"l\"), col(\"l." + name
          + "\")"));
    }
    if (name.equalsIgnoreCase("window")) {
      throw FreshetException.user("A window is two columns here, window_start and window_end (col(\"window.start\") "
          + "also names window_start); there is no column 'window'");
    }
    Set<String> all = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    all.addAll(names);
    String where = named.isEmpty() ? "" : " in the Dataset " + (qualifier != null ? "aliased '" + qualifier + "'"
        : "it belongs to");
    return fail("No column named '" + shown + "'" + where + " among " + names + Spelling.didYouMean(name, all));
  }

  private List<Integer> named(String name) {
    List<Integer> named = new ArrayList<>();
    for (int i = 0; i < size(); i++) {
      if (names.get(i).equalsIgnoreCase(name)) {
        named.add(i);
      }
    }
    return named;
  }

  /** Whether a column here came from the Dataset whose plan is {@code frame}. */
  private boolean owns(Frame frame) {
    for (Set<Frame> o : owners) {
      if (o.contains(frame)) {
        return true;
      }
    }
    return false;
  }


  private static int fail(String message) {
    throw FreshetException.user(message);
  }
}
