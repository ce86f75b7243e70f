package io.freshet.planner.rules;

import io.freshet.exec.types.TypeKind;
import io.freshet.planner.StreamTable;
import io.freshet.planner.Types;
import io.freshet.planner.translate.CalcTranslator;
import io.freshet.streaming.FreshetException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelShuttleImpl;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.Calc;
import org.apache.calcite.rel.core.CorrelationId;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rel.core.RelFactories;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rel.core.Values;
import org.apache.calcite.rel.logical.LogicalAggregate;
import org.apache.calcite.rel.logical.LogicalFilter;
import org.apache.calcite.rel.logical.LogicalJoin;
import org.apache.calcite.rel.logical.LogicalProject;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexCorrelVariable;
import org.apache.calcite.rex.RexFieldAccess;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.rex.RexSubQuery;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.tools.RelBuilder;

/**
 * Turns the conditions {@code IN (SELECT ...)}, {@code EXISTS (SELECT ...)} and their negations in a WHERE clause
 * into semi and anti joins of the filtered input with the subquery, which the stream–static join then runs when the
 * subquery reads a static table. A condition of the subquery that refers to the outer query ({@code WHERE t.k =
 * s.k}) becomes a condition of the join. {@code NOT IN} keeps SQL's nulls: its join condition is {@code (s.k =
 * t.x) IS NOT FALSE}, so an unknown comparison excludes the row as a match does; where neither side can be null
 * that is a plain equality.
 *
 * <p>A semi or anti join only asks whether a match exists, so a {@code DISTINCT} of the subquery is dropped.
 */
public final class SubQueryJoins {
  private SubQueryJoins() {
  }

  /** {@code root} with each WHERE condition that is an IN or EXISTS subquery made a semi or anti join. */
  public static RelNode rewrite(RelNode root) {
    return root.accept(new RelShuttleImpl() {
      @Override
      public RelNode visit(LogicalFilter filter) {
        RelNode visited = super.visit(filter);
        return visited instanceof LogicalFilter f && RexUtil.SubQueryFinder.find(f.getCondition()) != null
            ? joins(f) : visited;
      }
    });
  }

  /** The filter's subquery conditions as joins over its input, under a filter of its other conditions. */
  private static RelNode joins(LogicalFilter filter) {
    RelBuilder builder = RelFactories.LOGICAL_BUILDER.create(filter.getCluster(), null);
    RelNode current = filter.getInput();
    List<RexNode> rest = new ArrayList<>();
    for (RexNode conjunct : RelOptUtil.conjunctions(filter.getCondition())) {
      if (RexUtil.SubQueryFinder.find(conjunct) == null) {
        rest.add(conjunct);
        continue;
      }
      boolean negated = conjunct.getKind() == SqlKind.NOT;
      RexNode test = negated ? ((RexCall) conjunct).getOperands().get(0) : conjunct;
      if (!(test instanceof RexSubQuery sub) || sub.getKind() != SqlKind.IN && sub.getKind() != SqlKind.EXISTS) {
        throw refusal(RexUtil.SubQueryFinder.find(conjunct));
      }
      current = join(builder, current, sub, negated, filter.getVariablesSet());
    }
    return builder.push(current).filter(rest).build();
  }

  /**
   * Refuses the subquery {@code right} of a semi or anti join (before the rules convert it) unless it reads a
   * static table or VALUES, optionally filtered and projected, as the stream–static join does.
   */
  static void refuseUnlessStatic(RelNode right) {
    RelNode below = right instanceof Calc c ? c.getInput().stripped() : right.stripped();
    if (right instanceof Calc c) {
      CalcTranslator.translate(c);
    }
    if (below instanceof Values || below instanceof TableScan && bounded(below.getTable())) {
      return;
    }
    throw notStatic(right);
  }

  /** Why the subquery {@code right} of a semi or anti join cannot run: it reads a stream, or is not a table. */
  static FreshetException notStatic(RelNode right) {
    for (RelOptTable table : RelOptUtil.findAllTables(right)) {
      if (!bounded(table)) {
        return FreshetException.user("IN (SELECT ...) and EXISTS (SELECT ...) over the stream "
            + String.join(".", table.getQualifiedName()) + " are not supported: a stream never ends, so a row "
            + "could never be known to have no match, and one with a match would pass whenever the match came. The "
            + "subquery may read a static table (a file source with 'bounded' = 'true', a bounded generator, a "
            + "memory table) or VALUES; to match the rows of two streams, join them on keys and a time bound "
            + "(FROM s JOIN t ON s.k = t.k AND t.ts BETWEEN s.ts - INTERVAL '1' MINUTE AND s.ts)");
      }
    }
    return FreshetException.user("The subquery of IN or EXISTS must read one static table or VALUES, filtered and "
        + "projected (WHERE, columns, DISTINCT); a GROUP BY, join or UNION in it is not supported yet");
  }

  private static boolean bounded(RelOptTable table) {
    StreamTable stream = table == null ? null : table.unwrap(StreamTable.class);
    return stream != null && stream.table().bounded();
  }

  /** Why a subquery that is not a condition of its own (or is not IN or EXISTS) is refused. */
  private static FreshetException refusal(RexSubQuery sub) {
    String what = switch (sub.getKind()) {
      case SOME, ALL -> "A comparison with ANY, SOME or ALL (SELECT ...) is not supported; write it with EXISTS "
          + "(x > ANY (SELECT c FROM t) as EXISTS (SELECT 1 FROM t WHERE t.c < x)) or NOT EXISTS (x > ALL (SELECT c "
          + "FROM t) as NOT EXISTS (SELECT 1 FROM t WHERE t.c >= x), when c has no nulls)";
      case SCALAR_QUERY -> "A subquery used as a value ((SELECT ...) in an expression) is not supported; join the "
          + "table instead (FROM s JOIN t ON s.k = t.k)";
      case IN, EXISTS -> "IN (SELECT ...) and EXISTS (SELECT ...) are supported as conditions of WHERE on their own "
          + "or joined to the others by AND, not inside OR, CASE or another expression; write an OR of such "
          + "conditions as two queries joined by UNION ALL, the second excluding the rows the first passes";
      default -> "This subquery (" + sub.getKind() + ") is not supported";
    };
    return FreshetException.user(what);
  }

  /**
   * {@code left} semi-joined ({@code negated}: anti-joined) with the subquery {@code sub}, whose references to
   * {@code left}'s row through {@code variables} become join conditions.
   */
  private static RelNode join(RelBuilder builder, RelNode left, RexSubQuery sub, boolean negated,
      Set<CorrelationId> variables) {
    RexBuilder rex = builder.getRexBuilder();
    Pulled right = pull(rewrite(sub.rel), variables, builder);
    if (!RelOptUtil.getVariablesUsed(right.rel()).isEmpty()) {
      throw FreshetException.user("A subquery of IN or EXISTS may refer to the outer query only in its WHERE "
          + "conditions (EXISTS (SELECT 1 FROM t WHERE t.k = s.k AND t.x > s.y)), not in its columns, its GROUP BY "
          + "or a subquery of its own");
    }
    int width = left.getRowType().getFieldCount();
    // Keys that are expressions (a CAST to the subquery's type) are computed as columns of the left input.
    List<RexNode> keys = new ArrayList<>(sub.getOperands());
    List<RexNode> leftColumns = new ArrayList<>(builder.push(left).fields());
    List<RexNode> keyRefs = new ArrayList<>();
    for (int i = 0; i < keys.size(); i++) {
      RexNode key = keys.get(i);
      RelDataType column = right.rel().getRowType().getFieldList().get(i).getType();
      RexNode wanted = widens(key.getType(), column) ? rex.makeCast(rex.getTypeFactory()
          .createTypeWithNullability(column, key.getType().isNullable()), key) : key;
      if (wanted instanceof RexInputRef) {
        keyRefs.add(wanted);
      } else {
        keyRefs.add(new RexInputRef(leftColumns.size(), wanted.getType()));
        leftColumns.add(wanted);
      }
    }
    RelNode probe = builder.project(leftColumns).build();
    int probeWidth = leftColumns.size();
    List<RexNode> equalities = new ArrayList<>();
    boolean nullable = false;
    for (int i = 0; i < keyRefs.size(); i++) {
      RexNode tableColumn = rex.makeInputRef(right.rel().getRowType().getFieldList().get(i).getType(),
          probeWidth + i);
      nullable |= keyRefs.get(i).getType().isNullable() || tableColumn.getType().isNullable();
      equalities.add(rex.makeCall(SqlStdOperatorTable.EQUALS, keyRefs.get(i), tableColumn));
    }
    List<RexNode> condition = new ArrayList<>();
    if (negated && nullable && !equalities.isEmpty()) {
      condition.add(rex.makeCall(SqlStdOperatorTable.IS_NOT_FALSE, RexUtil.composeConjunction(rex, equalities)));
    } else {
      condition.addAll(equalities);
    }
    for (RexNode correlated : right.conditions()) {
      condition.add(correlated.accept(new Outer(variables, probeWidth, rex)));
    }
    // An equality of expressions (CAST(t.k AS BIGINT) = s.k) becomes one of columns computed below the join, so
    // that it is a key of the hash index rather than a condition checked against every row.
    RelNode joined = RelOptUtil.pushDownJoinConditions(LogicalJoin.create(probe, right.rel(), List.of(),
        RexUtil.composeConjunction(rex, condition), Set.of(), negated ? JoinRelType.ANTI : JoinRelType.SEMI),
        builder);
    return probeWidth == width ? joined : builder.push(joined).project(builder.fields().subList(0, width)).build();
  }

  /**
   * A subquery without its conditions on the outer query's row, and those conditions over its columns (the
   * subquery's own columns first, then the ones the conditions need).
   */
  private record Pulled(RelNode rel, List<RexNode> conditions) {
  }

  /**
   * Takes out of {@code rel} the conjuncts of its filters that refer to {@code variables}, through the filters,
   * projections and DISTINCTs at its top; below those nothing may refer to them.
   */
  private static Pulled pull(RelNode rel, Set<CorrelationId> variables, RelBuilder builder) {
    if (rel instanceof LogicalFilter filter) {
      Pulled below = pull(filter.getInput(), variables, builder);
      List<RexNode> kept = new ArrayList<>();
      List<RexNode> pulled = new ArrayList<>(below.conditions());
      for (RexNode conjunct : RelOptUtil.conjunctions(filter.getCondition())) {
        (refersTo(conjunct, variables) ? pulled : kept).add(conjunct);
      }
      return new Pulled(builder.push(below.rel()).filter(kept).build(), pulled);
    }
    if (rel instanceof LogicalProject project) {
      Pulled below = pull(project.getInput(), variables, builder);
      if (project.getProjects().stream().anyMatch(p -> refersTo(p, variables))) {
        return new Pulled(rel, List.of());
      }
      // The columns the pulled conditions read are carried up, after the projection's own.
      List<RexNode> columns = new ArrayList<>(project.getProjects());
      int[] at = new int[below.rel().getRowType().getFieldCount()];
      Arrays.fill(at, -1);
      RexShuttle remap = new RexShuttle() {
        @Override
        public RexNode visitInputRef(RexInputRef ref) {
          if (at[ref.getIndex()] < 0) {
            at[ref.getIndex()] = columns.size();
            columns.add(ref);
          }
          return new RexInputRef(at[ref.getIndex()], ref.getType());
        }
      };
      List<RexNode> conditions = new ArrayList<>();
      for (RexNode c : below.conditions()) {
        conditions.add(c.accept(remap));
      }
      return new Pulled(builder.push(below.rel()).project(columns, List.of(), true).build(), conditions);
    }
    if (rel instanceof LogicalAggregate agg && agg.getAggCallList().isEmpty()
        && agg.getGroupType() == Aggregate.Group.SIMPLE && agg.getGroupCount() > 0) {
      // A DISTINCT: whether a row exists does not depend on it.
      RelNode distinct = builder.push(agg.getInput()).project(builder.fields(agg.getGroupSet())).build();
      return pull(distinct, variables, builder);
    }
    return new Pulled(rel, List.of());
  }

  /** Whether a number of type {@code from} compares with {@code to} once cast to it, losing nothing. */
  private static boolean widens(RelDataType from, RelDataType to) {
    TypeKind a = Types.toKind(from);
    TypeKind b = Types.toKind(to);
    return a == TypeKind.INT && (b == TypeKind.BIGINT || b == TypeKind.DOUBLE)
        || a == TypeKind.BIGINT && b == TypeKind.DOUBLE;
  }

  private static boolean refersTo(RexNode node, Set<CorrelationId> variables) {
    boolean[] found = {false};
    node.accept(new RexShuttle() {
      @Override
      public RexNode visitCorrelVariable(RexCorrelVariable variable) {
        found[0] |= variables.contains(variable.id);
        return variable;
      }
    });
    return found[0];
  }

  /** Rewrites a pulled condition over the join: the subquery's columns after the outer row's, which it reads. */
  private static final class Outer extends RexShuttle {
    private final Set<CorrelationId> variables;
    private final int offset;
    private final RexBuilder rex;

    Outer(Set<CorrelationId> variables, int offset, RexBuilder rex) {
      this.variables = variables;
      this.offset = offset;
      this.rex = rex;
    }

    @Override
    public RexNode visitInputRef(RexInputRef ref) {
      return new RexInputRef(ref.getIndex() + offset, ref.getType());
    }

    @Override
    public RexNode visitFieldAccess(RexFieldAccess access) {
      if (access.getReferenceExpr() instanceof RexCorrelVariable v && variables.contains(v.id)) {
        return rex.makeInputRef(access.getType(), access.getField().getIndex());
      }
      return super.visitFieldAccess(access);
    }
  }
}
