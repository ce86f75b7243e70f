package io.freshet.planner.logical;

import io.freshet.planner.StreamTable;
import io.freshet.streaming.FreshetException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rel.metadata.RelColumnOrigin;
import org.apache.calcite.rel.metadata.RelMetadataQuery;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexWindowBounds;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.tools.RelBuilder;

/**
 * Builds the logical plan of a {@link Frame} with Calcite's {@link RelBuilder}: the same relational operators a SQL
 * query converts into (Project, Filter, Aggregate over a window table function, Join, Union, ROW_NUMBER filtered to
 * 1), so that the planner's rules plan a Dataset as they plan the SQL that says the same.
 */
public final class FrameBuilder {
  private final LogicalContext context;
  private final Function<SqlNode, RelNode> sql;
  private final RelBuilder builder;
  private final RexConverter rex;

  /** A builder in {@code context}, whose SQL queries {@code sql} converts (checking what the runtime refuses). */
  public FrameBuilder(LogicalContext context, Function<SqlNode, RelNode> sql) {
    this.context = context;
    this.sql = sql;
    this.builder = context.builder();
    this.rex = new RexConverter(context, builder);
  }

  /** The logical plan of {@code frame}, its columns named as the Java API names them (made unique). */
  public RelNode build(Frame frame) {
    Scope scope = scope(frame);
    return builder.push(scope.rel()).rename(scope.names()).build();
  }

  private Scope scope(Frame frame) {
    Scope scope;
    String alias = null;
    if (frame instanceof Frame.Table t) {
      scope = Scope.of(builder.scan(List.of(t.name().split("\\."))).build());
    } else if (frame instanceof Frame.Query q) {
      scope = Scope.of(sql.apply(q.query().get()));
    } else if (frame instanceof Frame.Select s) {
      scope = select(scope(s.input()), s.columns());
    } else if (frame instanceof Frame.Filter f) {
      Scope in = scope(f.input());
      RexNode condition = condition(rex.convert(f.condition(), in, "filter"), f.condition(), "filter");
      scope = in.over(builder.push(in.rel()).filter(condition).build());
    } else if (frame instanceof Frame.Aggregate a) {
      scope = Aggregation.build(this, scope(a.input()), a.keys(), a.aggregates());
    } else if (frame instanceof Frame.Join j) {
      scope = join(j);
    } else if (frame instanceof Frame.Union u) {
      scope = union(scope(u.first()), scope(u.second()));
    } else if (frame instanceof Frame.DropDuplicates d) {
      scope = dropDuplicates(scope(d.input()), d.columns());
    } else if (frame instanceof Frame.Rewritten r) {
      scope = scope(r.frame()).ownedBy(r.original(), null);
    } else {
      Frame.Alias a = (Frame.Alias) frame;
      scope = scope(a.input());
      alias = a.alias();
    }
    return scope.ownedBy(frame, alias);
  }

  /** {@code condition}, refused unless it is true or false (or null) for each row. */
  private static RexNode condition(RexNode condition, Expression written, String where) {
    if (condition.getType().getSqlTypeName() != SqlTypeName.BOOLEAN) {
      throw FreshetException.user(where + " takes a condition, true or false for each row, but " + written.name()
          + " is " + condition.getType().getSqlTypeName() + "; compare it, as col(\"price\").gt(10)");
    }
    return condition;
  }

  LogicalContext context() {
    return context;
  }

  RelBuilder relBuilder() {
    return builder;
  }

  RexConverter rex() {
    return rex;
  }

  /** The input's columns each expression names or computes; {@code *} is every column. */
  private Scope select(Scope in, List<Expression> columns) {
    boolean aggregates = !columns.isEmpty();
    for (Expression c : columns) {
      aggregates &= Aggregation.unalias(c) instanceof Expression.Aggregate;
    }
    if (aggregates) {
      // select(count("*"), max("price")): an aggregation of the whole input, as Spark's.
      return Aggregation.build(this, in, List.of(), columns);
    }
    List<RexNode> exprs = new ArrayList<>();
    List<String> names = new ArrayList<>();
    List<Integer> origins = new ArrayList<>();
    for (Expression c : columns) {
      if (c instanceof Expression.Star) {
        for (int i = 0; i < in.size(); i++) {
          exprs.add(builder.getRexBuilder().makeInputRef(in.type(i), i));
          names.add(in.names().get(i));
          origins.add(i);
        }
        continue;
      }
      RexNode e = rex.convert(c, in, "select");
      exprs.add(e);
      // A column kept by position keeps its name here (both sides' "id" after a join), not the unique one.
      names.add(c instanceof Expression.Position p ? in.names().get(p.index()) : c.name());
      origins.add(e instanceof RexInputRef ref ? ref.getIndex() : null);
    }
    RelNode rel = builder.push(in.rel()).project(exprs, names, true).build();
    return in.pick(rel, origins, names);
  }

  private Scope join(Frame.Join j) {
    Scope left = scope(j.left());
    Scope right = scope(j.right());
    // The two sides side by side, to resolve the condition's columns in.
    RelNode pair = builder.push(left.rel()).push(right.rel()).join(JoinRelType.INNER, builder.literal(true)).build();
    Scope both = Scope.concat(pair, left, right);
    int width = left.size();
    RexNode condition;
    List<int[]> using = new ArrayList<>();
    if (!j.using().isEmpty()) {
      List<RexNode> equal = new ArrayList<>();
      for (String name : j.using()) {
        int l = left.resolve(new Expression.Ref(null, name));
        int r = right.resolve(new Expression.Ref(null, name));
        using.add(new int[] {l, r});
        equal.add(builder.equals(builder.getRexBuilder().makeInputRef(left.type(l), l),
            builder.getRexBuilder().makeInputRef(right.type(r), width + r)));
      }
      condition = equal.size() == 1 ? equal.get(0) : builder.and(equal);
    } else if (j.condition() != null) {
      condition = condition(rex.convert(j.condition(), both, "the join condition"), j.condition(),
          "the join condition");
    } else {
      throw FreshetException.user("join(other) needs the columns to join on, join(other, \"id\"), or a condition, "
          + "join(other, left.col(\"id\").equalTo(other.col(\"userId\")))");
    }
    RelNode joined = builder.push(left.rel()).push(right.rel()).join(j.type(), condition).build();
    if (j.type() == JoinRelType.SEMI || j.type() == JoinRelType.ANTI) {
      return left.over(joined);
    }
    Scope all = both.over(joined);
    if (using.isEmpty()) {
      return all;
    }
    // Spark's join on columns: each of those columns once, then the other columns of each side.
    List<RexNode> exprs = new ArrayList<>();
    List<String> names = new ArrayList<>();
    List<Integer> origins = new ArrayList<>();
    List<Integer> skip = new ArrayList<>();
    for (int[] pairOf : using) {
      RexNode l = builder.getRexBuilder().makeInputRef(all.type(pairOf[0]), pairOf[0]);
      RexNode r = builder.getRexBuilder().makeInputRef(all.type(width + pairOf[1]), width + pairOf[1]);
      exprs.add(j.type() == JoinRelType.RIGHT ? r : j.type() == JoinRelType.FULL
          ? rex.coalesce(List.of(l, r)) : l);
      names.add(left.names().get(pairOf[0]));
      origins.add(j.type() == JoinRelType.RIGHT ? width + pairOf[1] : pairOf[0]);
      skip.add(pairOf[0]);
      skip.add(width + pairOf[1]);
    }
    for (int i = 0; i < all.size(); i++) {
      if (!skip.contains(i)) {
        exprs.add(builder.getRexBuilder().makeInputRef(all.type(i), i));
        names.add(all.names().get(i));
        origins.add(i);
      }
    }
    RelNode projected = builder.push(joined).project(exprs, names, true).build();
    return all.pick(projected, origins, names);
  }

  private Scope union(Scope first, Scope second) {
    if (first.size() != second.size()) {
      throw FreshetException.user("union needs the same number of columns on both sides, matched by position: "
          + first.names() + " and " + second.names());
    }
    RelNode rel;
    try {
      rel = builder.push(first.rel()).push(second.rel()).union(true).build();
    } catch (IllegalArgumentException e) {
      throw FreshetException.user("union matches columns by position, and the types of " + first.names() + " and "
          + second.names() + " do not match; cast one side's columns", e);
    }
    List<Integer> origins = new ArrayList<>();
    for (int i = 0; i < first.size(); i++) {
      origins.add(i);
    }
    return first.pick(rel, origins, first.names());
  }

  /**
   * Each key's first row by event time, as Flink's deduplication ({@code ROW_NUMBER() OVER (PARTITION BY key ORDER
   * BY ts) = 1}): the input must carry a stream's event-time column. Without columns, the key is the whole row.
   */
  private Scope dropDuplicates(Scope in, List<String> columns) {
    int time = eventTimeColumn(in.rel());
    if (time < 0) {
      throw FreshetException.user("dropDuplicates keeps each key's first row by event time, so its input needs a "
          + "stream's event-time column (one with a watermark: withWatermark(\"ts\", \"10 seconds\") or WATERMARK "
          + "FOR in CREATE STREAM) among " + in.names());
    }
    var rb = builder.getRexBuilder();
    List<RexNode> keys = new ArrayList<>();
    if (columns.isEmpty()) {
      for (int i = 0; i < in.size(); i++) {
        keys.add(rb.makeInputRef(in.type(i), i));
      }
    } else {
      for (String c : columns) {
        int i = in.resolve(new Expression.Ref(null, c));
        keys.add(rb.makeInputRef(in.type(i), i));
      }
    }
    builder.push(in.rel());
    List<RexNode> fields = new ArrayList<>(builder.fields());
    RexNode rank = builder.aggregateCall(SqlStdOperatorTable.ROW_NUMBER).over().partitionBy(keys)
        .orderBy(builder.field(time)).rowsTo(RexWindowBounds.CURRENT_ROW).toRex();
    List<RexNode> withRank = new ArrayList<>(fields);
    withRank.add(rank);
    builder.project(withRank);
    RelNode deduplicated = builder
        .filter(builder.equals(builder.field(fields.size()), builder.literal(1)))
        .project(builder.fields().subList(0, fields.size()))
        .build();
    return in.over(deduplicated);
  }

  /**
   * The stream or table column that column {@code name} of the frame's result is, as it is (not computed): the
   * table's name and the column's, or null.
   */
  public List<String> origin(Frame frame, String name) {
    Scope scope = scope(frame);
    int column = scope.resolve(new Expression.Ref(null, name));
    RelColumnOrigin origin = scope.rel().getCluster().getMetadataQuery().getColumnOrigin(scope.rel(), column);
    if (origin == null || origin.isDerived()) {
      return null;
    }
    StreamTable table = origin.getOriginTable().unwrap(StreamTable.class);
    return table == null ? null : List.of(table.table().name(),
        table.table().schema().column(origin.getOriginColumnOrdinal()).name());
  }

  /** The column of {@code rel} that is a stream's declared event-time column, as it is, or -1. */
  private static int eventTimeColumn(RelNode rel) {
    RelMetadataQuery mq = rel.getCluster().getMetadataQuery();
    for (int i = 0; i < rel.getRowType().getFieldCount(); i++) {
      RelColumnOrigin origin = mq.getColumnOrigin(rel, i);
      if (origin == null || origin.isDerived()) {
        continue;
      }
      StreamTable table = origin.getOriginTable().unwrap(StreamTable.class);
      if (table != null && table.table().eventTimeColumn() != null && table.table().schema()
          .column(origin.getOriginColumnOrdinal()).name().equalsIgnoreCase(table.table().eventTimeColumn())) {
        return i;
      }
    }
    return -1;
  }
}
