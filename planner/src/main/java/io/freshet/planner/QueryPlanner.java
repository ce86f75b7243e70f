package io.freshet.planner;

import io.freshet.exec.expr.Expr;
import io.freshet.exec.expr.UserFunction;
import io.freshet.exec.operator.CalcOperator;
import io.freshet.exec.plan.PlanNode;
import io.freshet.exec.plan.StreamPlan;
import io.freshet.exec.types.Column;
import io.freshet.exec.types.RowSchema;
import io.freshet.exec.types.TypeKind;
import io.freshet.planner.logical.DatasetView;
import io.freshet.planner.logical.Frame;
import io.freshet.planner.logical.FrameBuilder;
import io.freshet.planner.logical.FrameTable;
import io.freshet.planner.logical.LogicalContext;
import io.freshet.planner.rel.StreamImplementor;
import io.freshet.planner.rel.StreamRel;
import io.freshet.planner.rules.LookupJoins;
import io.freshet.planner.rules.StreamRules;
import io.freshet.planner.rules.SubQueryJoins;
import io.freshet.planner.rules.UnsupportedShapes;
import io.freshet.streaming.FreshetException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.apache.calcite.jdbc.CalciteSchema;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.runtime.CalciteException;
import org.apache.calcite.plan.hep.HepPlanner;
import org.apache.calcite.plan.hep.HepProgram;
import org.apache.calcite.plan.hep.HepProgramBuilder;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.rules.CoreRules;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.rel.type.RelDataTypeSystem;
import org.apache.calcite.rel.type.RelDataTypeSystemImpl;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.calcite.schema.impl.AbstractSchema;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql2rel.SqlToRelConverter;
import org.apache.calcite.tools.FrameworkConfig;
import org.apache.calcite.tools.Frameworks;

/**
 * Plans a SELECT over the catalog: Calcite validates it and builds the logical plan; filters and projections merge
 * into Calcs; the rules of {@link StreamRules} convert the plan into the streaming convention, whose nodes implement
 * themselves into the {@link StreamPlan} the runtime runs.
 */
public final class QueryPlanner {
  /** CASE over strings of different lengths gives VARCHAR, not a blank-padded CHAR (as Flink does). */
  private static final RelDataTypeSystem TYPE_SYSTEM = new RelDataTypeSystemImpl() {
    @Override
    public boolean shouldConvertRaggedUnionTypesToVarying() {
      return true;
    }
  };

  private final Collection<PlannerTable> tables;
  private final Collection<DatasetView> views;
  private final PlannerSettings settings;
  private List<UserFunction> functions = List.of();

  public QueryPlanner(Collection<PlannerTable> tables) {
    this(tables, List.of(), new PlannerSettings(0));
  }

  /** A planner over the catalog's tables and the temporary views of Datasets. */
  public QueryPlanner(Collection<PlannerTable> tables, Collection<DatasetView> views) {
    this(tables, views, new PlannerSettings(0));
  }

  private QueryPlanner(Collection<PlannerTable> tables, Collection<DatasetView> views, PlannerSettings settings) {
    this.tables = tables;
    this.views = views;
    this.settings = settings;
  }

  /** This planner, with joins without a time bound keeping rows {@code ttlMs} of event time (0: for ever). */
  public QueryPlanner withStateTtl(long ttlMs) {
    return new QueryPlanner(tables, views, new PlannerSettings(ttlMs)).withFunctions(functions);
  }

  /** This planner, with the session's user-defined functions callable by their names. */
  public QueryPlanner withFunctions(List<UserFunction> userFunctions) {
    QueryPlanner planner = new QueryPlanner(tables, views, settings);
    planner.functions = List.copyOf(userFunctions);
    return planner;
  }

  /**
   * A cluster over the catalog in which to build a query's logical plan; a Dataset view that the query reads is
   * built in the same cluster.
   */
  private LogicalContext newContext() {
    LogicalContext[] context = new LogicalContext[1];
    context[0] = new LogicalContext(config(frame -> frames(context[0]).build(frame)));
    return context[0];
  }

  private FrameBuilder frames(LogicalContext context) {
    return new FrameBuilder(context, query -> logical(query, context));
  }

  private FrameworkConfig config(java.util.function.Function<Frame, RelNode> frameBuilder) {
    SchemaPlus root = CalciteSchema.createRootSchema(false, false).plus();
    Set<String> plain = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    for (PlannerTable t : tables) {
      if (t.name().indexOf('.') < 0) {
        root.add(t.name(), StreamTable.of(t));
        plain.add(t.name());
      }
    }
    // A schema's table (nexmark.bid) is also found by its plain name, unless the user has a table of that name.
    for (PlannerTable t : tables) {
      int dot = t.name().indexOf('.');
      if (dot > 0) {
        String schemaName = t.name().substring(0, dot);
        String name = t.name().substring(dot + 1);
        SchemaPlus schema = root.getSubSchema(schemaName);
        if (schema == null) {
          schema = root.add(schemaName, new AbstractSchema());
        }
        schema.add(name, StreamTable.of(t));
        if (plain.add(name)) {
          root.add(name, StreamTable.of(t));
        }
      }
    }
    for (DatasetView view : views) {
      root.add(view.name(), new FrameTable(view, frameBuilder));
    }
    return Frameworks.newConfigBuilder()
        .defaultSchema(root)
        .parserConfig(SqlParsers.CONFIG)
        .operatorTable(WindowFunctions.operatorTable(UserFunctionOperator.of(functions)))
        .typeSystem(TYPE_SYSTEM)
        // IN (1, 2, ...) stays a condition however long the list, rather than becoming a join with the values.
        .sqlToRelConverterConfig(SqlToRelConverter.config()
            .withInSubQueryThreshold(Integer.MAX_VALUE))
        .build();
  }

  /** Plans a query given as parsed SQL (a SELECT, possibly with ORDER BY, which is refused). */
  public PlannedQuery plan(SqlNode query) {
    return plan(query, true);
  }

  private PlannedQuery plan(SqlNode query, boolean withWatermark) {
    try {
      return planOrOverflow(query, withWatermark);
    } catch (StackOverflowError e) {
      throw SqlParsers.tooDeep(e);
    }
  }

  private PlannedQuery planOrOverflow(SqlNode query, boolean withWatermark) {
    return plan(logical(query, newContext()), withWatermark);
  }

  /**
   * Plans a query the Java API built ({@code Dataset.select(...).groupBy(...)}): its logical plan is built in one
   * cluster with its SQL parts, then planned as SQL is.
   */
  public PlannedQuery plan(Frame frame) {
    try {
      return plan(frames(newContext()).build(frame), true);
    } catch (CalciteException e) {
      // A stream or table the Dataset reads was dropped since ("Table 'bids' not found").
      throw ValidationErrors.of(e, tables);
    } catch (StackOverflowError e) {
      throw SqlParsers.tooDeep(e);
    }
  }

  /**
   * The stream or table column that column {@code column} of the frame's result is, as it is (its table's name and
   * its own), or null when the column is computed.
   */
  public List<String> origin(Frame frame, String column) {
    try {
      return frames(newContext()).origin(frame, column);
    } catch (CalciteException e) {
      throw ValidationErrors.of(e, tables);
    }
  }

  private PlannedQuery plan(RelNode logical, boolean withWatermark) {
    StreamRel stream = toStream(logical, settings);
    StreamImplementor implementor = new StreamImplementor(withWatermark ? this::watermarkOf : table -> null);
    StreamPlan plan = implementor.build(stream.implement(implementor));
    // An alias (SELECT k AS key) is only in the plan before optimization, which drops a projection that merely
    // renames; a column named without an alias keeps its declared spelling (SELECT USERID gives userId), as in
    // Flink.
    RowSchema optimizedSchema = Types.toSchema(stream.getRowType());
    List<RelDataTypeField> written = logical.getRowType().getFieldList();
    List<Column> columns = new ArrayList<>();
    for (int i = 0; i < optimizedSchema.size(); i++) {
      Column c = optimizedSchema.column(i);
      String name = written.get(i).getName();
      columns.add(name.equalsIgnoreCase(c.name()) ? c : new Column(name, c.type(), c.nullable()));
    }
    return new PlannedQuery(plan, implementor.aggregates(), new RowSchema(columns),
        "== Logical plan ==\n" + RelOptUtil.toString(logical));
  }

  /**
   * The columns of a query that Calcite validates, without planning it for the runtime (a view's query is checked
   * so when it is created: whether it runs depends on the query that reads it).
   */
  public RowSchema validate(SqlNode query) {
    UnsupportedQueries.refuse(query, this::table);
    try {
      // The validator's names, before planning makes them unique (SELECT k, k gives k and k0).
      return Types.toSchema(newContext().validate(WindowFunctions.rewriteSessionPartitions(query)));
    } catch (CalciteException e) {
      throw ValidationErrors.of(e, tables);
    } catch (StackOverflowError e) {
      throw SqlParsers.tooDeep(e);
    }
  }

  /** The query in the streaming convention, before it is implemented (what the rules made of it). */
  StreamRel toStream(SqlNode query) {
    return toStream(logical(query, newContext()), settings);
  }

  /** Calcite's logical plan of a validated query, in {@code context}. */
  private RelNode logical(SqlNode query, LogicalContext context) {
    UnsupportedQueries.refuse(query, this::table);
    try {
      return context.convert(WindowFunctions.rewriteSessionPartitions(query));
    } catch (CalciteException e) {
      throw ValidationErrors.of(e, tables);
    }
  }

  /**
   * The logical plan with IN and EXISTS subqueries made semi and anti joins, filters and projections merged into
   * Calcs, refused if it has a shape the runtime does not
   * run, and converted by the streaming rules.
   */
  private static StreamRel toStream(RelNode logical, PlannerSettings settings) {
    RelNode optimized = run(calcs(), SubQueryJoins.rewrite(LookupJoins.rewrite(logical)));
    UnsupportedShapes.refuse(optimized);
    HepPlanner streamPlanner = new HepPlanner(StreamRules.program(), org.apache.calcite.plan.Contexts.of(settings));
    streamPlanner.setRoot(optimized);
    RelNode converted = streamPlanner.findBestExp();
    if (!(converted instanceof StreamRel stream)) {
      throw UnsupportedShapes.unconverted(converted);
    }
    return stream;
  }

  /** Filters and projections into one Calc each, and OVER windows out of projections, before the stream rules. */
  private static HepProgram calcs() {
    return new HepProgramBuilder()
        // A join written with a comma and its condition in WHERE (FROM a, b WHERE a.id = b.id) joins on it; a join
        // that has a condition of its own keeps its WHERE as a filter after it, as written.
        .addRuleInstance(CoreRules.FILTER_INTO_JOIN.config
            .withPredicate((join, type, condition) -> join.getCondition().isAlwaysTrue()).toRule())
        .addRuleInstance(CoreRules.PROJECT_TO_LOGICAL_PROJECT_AND_WINDOW)
        .addRuleInstance(CoreRules.FILTER_TO_CALC)
        .addRuleInstance(CoreRules.PROJECT_TO_CALC)
        .addRuleInstance(CoreRules.CALC_MERGE)
        .addRuleInstance(CoreRules.CALC_REMOVE)
        .build();
  }

  private static RelNode run(HepProgram program, RelNode root) {
    HepPlanner hep = new HepPlanner(program);
    hep.setRoot(root);
    return hep.findBestExp();
  }

  /**
   * The table named {@code name} as a query writes it (its qualified name, or a schema's table by its plain name
   * when no table of the catalog has that name), or null.
   */
  private PlannerTable table(String name) {
    PlannerTable bySuffix = null;
    for (PlannerTable t : tables) {
      if (t.name().equalsIgnoreCase(name)) {
        return t;
      }
      if (bySuffix == null && t.name().toLowerCase(Locale.ROOT).endsWith("." + name.toLowerCase(Locale.ROOT))) {
        bySuffix = t;
      }
    }
    return bySuffix;
  }

  /** The source's watermark expression as a runtime expression over its columns, or null. */
  private Expr watermarkOf(PlannerTable table) {
    if (table.eventTimeColumn() == null) {
      return null;
    }
    // SELECT <watermark expression> FROM <table>, planned without a watermark of its own.
    SqlParserPos pos = SqlParserPos.ZERO;
    SqlSelect select = new SqlSelect(pos, null, SqlNodeList.of(table.watermark().get()),
        new SqlIdentifier(List.of(table.name().split("\\.")), pos), null, null, null, null, null, null, null, null,
        null);
    PlannedQuery q = plan(select, false);
    List<PlanNode> nodes = q.draft().nodes();
    if (nodes.isEmpty()) {
      return new Expr.ColumnRef(table.schema().indexOf(table.eventTimeColumn()), TypeKind.TIMESTAMP);
    }
    Expr e = ((CalcOperator.Spec) nodes.get(0).factory()).projections().get(0);
    if (e.type() != TypeKind.TIMESTAMP) {
      throw FreshetException.user("The watermark of " + table.name() + " must be a TIMESTAMP, but "
          + table.watermarkExpression() + " is " + e.type().sqlName());
    }
    return e;
  }

  /** The projection that casts a query's output to a sink's declared columns, or an error naming the mismatch. */
  public static List<Expr> castsTo(RowSchema from, RowSchema to, String sinkName) {
    if (from.size() != to.size()) {
      throw FreshetException.user("INSERT INTO " + sinkName + " gives " + from.size() + " columns " + from
          + " but " + sinkName + " has " + to.size() + ": " + to);
    }
    List<Expr> casts = new ArrayList<>();
    for (int i = 0; i < from.size(); i++) {
      TypeKind a = from.type(i);
      TypeKind b = to.type(i);
      Expr ref = new Expr.ColumnRef(i, a);
      boolean widening = a == b || (a == TypeKind.INT && (b == TypeKind.BIGINT || b == TypeKind.DOUBLE))
          || (a == TypeKind.BIGINT && b == TypeKind.DOUBLE) || b == TypeKind.VARCHAR;
      if (!widening) {
        throw FreshetException.user("INSERT INTO " + sinkName + ": column " + (i + 1) + " is " + from.column(i)
            + " but " + sinkName + "." + to.column(i).name() + " is " + b.sqlName() + "; add a CAST");
      }
      casts.add(a == b ? ref : Expr.call(Expr.Op.CAST, b, ref));
    }
    return casts;
  }
}
