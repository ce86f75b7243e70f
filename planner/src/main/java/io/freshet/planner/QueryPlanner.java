package io.freshet.planner;

import io.freshet.exec.aggregate.AggregateCall;
import io.freshet.exec.aggregate.HashAggregateOperator;
import io.freshet.exec.expr.Expr;
import io.freshet.exec.operator.CalcOperator;
import io.freshet.exec.operator.SplitOperator;
import io.freshet.exec.plan.Distribution;
import io.freshet.exec.plan.OperatorFactory;
import io.freshet.exec.plan.PlanNode;
import io.freshet.exec.plan.StreamPlan;
import io.freshet.exec.window.SessionAggregateOperator;
import io.freshet.exec.window.WindowAssignOperator;
import io.freshet.exec.window.WindowRankOperator;
import io.freshet.exec.types.RowSchema;
import io.freshet.exec.types.TypeKind;
import io.freshet.streaming.FreshetException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.calcite.jdbc.CalciteSchema;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.plan.hep.HepPlanner;
import org.apache.calcite.plan.hep.HepProgramBuilder;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.Calc;
import org.apache.calcite.rel.core.Join;
import org.apache.calcite.rel.core.Sort;
import org.apache.calcite.rel.RelFieldCollation;
import org.apache.calcite.rel.core.TableFunctionScan;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rel.core.Window;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rel.core.Values;
import org.apache.calcite.rel.rules.CoreRules;
import org.apache.calcite.rel.type.RelDataTypeSystem;
import org.apache.calcite.rel.type.RelDataTypeSystemImpl;
import org.apache.calcite.rex.RexProgram;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.tools.FrameworkConfig;
import org.apache.calcite.tools.Frameworks;
import org.apache.calcite.tools.Planner;
import org.apache.calcite.tools.RelConversionException;
import org.apache.calcite.tools.ValidationException;

/**
 * Plans a SELECT over the catalog: Calcite validates it and builds the logical plan; filters and projections
 * merge into one Calc; the Calc over a table scan becomes a {@link CalcOperator.Spec} over that stream.
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

  public QueryPlanner(Collection<PlannerTable> tables) {
    this.tables = tables;
  }

  private FrameworkConfig config() {
    SchemaPlus root = CalciteSchema.createRootSchema(false, false).plus();
    java.util.Set<String> plain = new java.util.TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    for (PlannerTable t : tables) {
      if (t.name().indexOf('.') < 0) {
        root.add(t.name(), new StreamTable(t));
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
          schema = root.add(schemaName, new org.apache.calcite.schema.impl.AbstractSchema());
        }
        schema.add(name, new StreamTable(t));
        if (plain.add(name)) {
          root.add(name, new StreamTable(t));
        }
      }
    }
    return Frameworks.newConfigBuilder()
        .defaultSchema(root)
        .parserConfig(SqlParsers.CONFIG)
        .operatorTable(WindowFunctions.operatorTable())
        .typeSystem(TYPE_SYSTEM)
        // IN (1, 2, ...) stays a condition however long the list, rather than becoming a join with the values.
        .sqlToRelConverterConfig(org.apache.calcite.sql2rel.SqlToRelConverter.config()
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
    UnsupportedQueries.refuse(query);
    Planner planner = Frameworks.getPlanner(config());
    RelNode logical;
    try {
      // Calcite's Planner validates only after a parse; the query is parsed already (with its script
      // positions), so the planner parses a placeholder and then validates the real node.
      planner.parse("VALUES 1");
      SqlNode validated = planner.validate(WindowFunctions.rewriteSessionPartitions(query));
      logical = planner.rel(validated).project();
    } catch (ValidationException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw FreshetException.user(cause.getMessage(), e);
    } catch (RelConversionException | org.apache.calcite.sql.parser.SqlParseException e) {
      throw FreshetException.user(e.getMessage(), e);
    } finally {
      planner.close();
    }
    return toPhysical(logical, withWatermark);
  }

  private PlannedQuery toPhysical(RelNode logical, boolean withWatermark) {
    HepProgramBuilder program = new HepProgramBuilder()
        .addRuleInstance(CoreRules.PROJECT_TO_LOGICAL_PROJECT_AND_WINDOW)
        .addRuleInstance(CoreRules.FILTER_TO_CALC)
        .addRuleInstance(CoreRules.PROJECT_TO_CALC)
        .addRuleInstance(CoreRules.CALC_MERGE)
        .addRuleInstance(CoreRules.CALC_REMOVE);
    HepPlanner hep = new HepPlanner(program.build());
    hep.setRoot(logical);
    RelNode optimized = hep.findBestExp();

    PhysicalBuilder builder = new PhysicalBuilder(withWatermark);
    Chain chain = builder.translate(optimized);
    if (chain.session != null) {
      throw FreshetException.user("A SESSION window needs an aggregation over it: GROUP BY window_start, "
          + "window_end and the session's keys");
    }
    // An alias (SELECT k AS key) is only in the plan before optimization, which drops a projection that merely
    // renames; a column named without an alias keeps its declared spelling (SELECT USERID gives userId), as in
    // Flink.
    RowSchema optimizedSchema = Types.toSchema(optimized.getRowType());
    List<org.apache.calcite.rel.type.RelDataTypeField> written = logical.getRowType().getFieldList();
    List<io.freshet.exec.types.Column> columns = new ArrayList<>();
    for (int i = 0; i < optimizedSchema.size(); i++) {
      io.freshet.exec.types.Column c = optimizedSchema.column(i);
      String name = written.get(i).getName();
      columns.add(name.equalsIgnoreCase(c.name()) ? c : new io.freshet.exec.types.Column(name, c.type(),
          c.nullable()));
    }
    return new PlannedQuery(builder.plan.build(builder.current), builder.aggregates, new RowSchema(columns),
        "== Logical plan ==\n" + RelOptUtil.toString(logical));
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

  /** What a column means for event time. */
  enum Role { NONE, ROWTIME, WINDOW_START, WINDOW_END, WINDOW_TIME }

  /** The plan so far: its output schema and, per column, its event-time role (and a window start's size). */
  static final class Chain {
    final RowSchema schema;
    final Role[] roles;
    final long[] sizes;
    /** Which window table function made a window column (so that its start, end and time agree). */
    final int[] windowIds;
    /** A SESSION table function waiting for the aggregation over it. */
    TableFunctionScan session;

    /** Column {@code to} of this chain means what column {@code from} of {@code input} meant. */
    void inherit(int to, Chain input, int from) {
      roles[to] = input.roles[from];
      sizes[to] = input.sizes[from];
      windowIds[to] = input.windowIds[from];
    }

    Chain(RowSchema schema) {
      this.schema = schema;
      this.roles = new Role[schema.size()];
      this.sizes = new long[schema.size()];
      this.windowIds = new int[schema.size()];
      java.util.Arrays.fill(roles, Role.NONE);
      java.util.Arrays.fill(windowIds, -1);
    }
  }

  private final class PhysicalBuilder {
    final boolean withWatermark;
    PlannerTable source;
    final StreamPlan.Builder plan = StreamPlan.builder();
    /** The id of the last source or node added: the input of the next. */
    int current = -1;
    /** How each aggregation's GROUP BY reads, by node id, for messages. */
    final Map<Integer, String> aggregates = new HashMap<>();

    PhysicalBuilder(boolean withWatermark) {
      this.withWatermark = withWatermark;
    }

    /** Adds a stateless node over the last one. */
    void add(OperatorFactory factory) {
      current = plan.node(factory, current);
    }

    /** Adds a stateful node over the last one, its input hashed on {@code keys}. */
    void add(OperatorFactory factory, int[] keys) {
      current = plan.node(factory, Distribution.hash(keys), current);
    }

    Chain translate(RelNode node) {
      if (node instanceof TableScan scan) {
        return scan(scan);
      }
      if (node instanceof Calc calc) {
        if (calc.getInput() instanceof Window window) {
          return rank(calc, window);
        }
        return calc(calc);
      }
      if (node instanceof TableFunctionScan tfs) {
        return tableFunction(tfs, null);
      }
      if (node instanceof Aggregate agg) {
        return aggregate(agg);
      }
      if (node instanceof org.apache.calcite.rel.core.Correlate correlate) {
        return split(correlate);
      }
      if (node instanceof Window window) {
        UnsupportedQueries.refuseOverAggregations(window);
        throw FreshetException.user("OVER windows are supported only as a Top-N: ROW_NUMBER(), RANK() or "
            + "DENSE_RANK() OVER (PARTITION BY window_start, window_end ORDER BY ...) filtered with <= N");
      }
      throw unsupportedPlan(node);
    }

    private Chain scan(TableScan scan) {
      StreamTable table = scan.getTable().unwrap(StreamTable.class);
      if (table == null) {
        throw FreshetException.user("Cannot read " + scan.getTable().getQualifiedName());
      }
      if (source != null && !source.name().equals(table.table().name())) {
        throw FreshetException.user("A query reads one stream; joins and unions are not supported yet");
      }
      source = table.table();
      current = plan.source(source.name(), source.schema(), source.bounded(),
          withWatermark ? watermarkOf(source) : null, source.watermarkExpression(), source.idleTimeoutMs());
      Chain chain = new Chain(source.schema());
      if (source.eventTimeColumn() != null) {
        chain.roles[source.schema().indexOf(source.eventTimeColumn())] = Role.ROWTIME;
      }
      return chain;
    }

    private Chain calc(Calc calc) {
      return calc(calc, calcSpec(calc));
    }

    /**
     * {@code CROSS JOIN UNNEST(SPLIT(s, 'delimiter'))}, planned by Calcite as a Correlate of a Calc that computes
     * the array with an Uncollect of it (and, on the Uncollect's side, perhaps a Calc over the piece): the Calc
     * passes the string on in the array's place, a Split step makes a row per piece, and the right side's Calc,
     * if any, runs over the result.
     */
    private Chain split(org.apache.calcite.rel.core.Correlate correlate) {
      String usage = "UNNEST is supported as CROSS JOIN UNNEST(SPLIT(column, 'delimiter')) AS t(piece)";
      RelNode right = correlate.getRight();
      Calc after = null;
      if (right instanceof Calc c) {
        after = c;
        right = c.getInput();
      }
      if (!(right instanceof org.apache.calcite.rel.core.Uncollect uncollect) || uncollect.withOrdinality
          || correlate.getJoinType() != org.apache.calcite.rel.core.JoinRelType.INNER
          || correlate.getRequiredColumns().cardinality() != 1 || !(correlate.getLeft() instanceof Calc left)) {
        throw FreshetException.user(usage);
      }
      int k = correlate.getRequiredColumns().nextSetBit(0);
      RexProgram program = left.getProgram();
      RexNode array = program.expandLocalRef(program.getProjectList().get(k));
      if (!(array instanceof RexCall call) || !call.getOperator().getName().equalsIgnoreCase("SPLIT")) {
        throw FreshetException.user(usage + "; other arrays cannot be unnested yet");
      }
      String delimiter = ",";
      if (call.getOperands().size() == 2) {
        if (!(call.getOperands().get(1) instanceof RexLiteral literal)
            || literal.getValueAs(String.class) == null) {
          throw FreshetException.user("SPLIT in UNNEST needs a constant delimiter, e.g. SPLIT(line, ' ')");
        }
        delimiter = literal.getValueAs(String.class);
      }
      CalcOperator.Spec leftSpec = calcSpec(left, k, call.getOperands().get(0));
      RowSchema leftSchema = leftSpec.outputSchema();
      Chain leftChain = calc(left, leftSpec);
      String piece = uncollect.getRowType().getFieldList().get(0).getName();
      SplitOperator.Spec split = new SplitOperator.Spec(leftSchema, k, delimiter, piece);
      add(split);
      Chain out = new Chain(split.outputSchema());
      for (int i = 0; i < leftSchema.size(); i++) {
        out.inherit(i, leftChain, i);
      }
      if (after == null) {
        return out;
      }
      int width = leftSchema.size();
      CalcOperator.Spec rightSpec = calcSpec(after);
      int[] mapping = {width};
      List<Expr> all = new ArrayList<>();
      List<io.freshet.exec.types.Column> allColumns = new ArrayList<>(leftSchema.columns());
      for (int i = 0; i < width; i++) {
        all.add(new Expr.ColumnRef(i, leftSchema.type(i)));
      }
      for (Expr e : rightSpec.projections()) {
        all.add(remap(e, mapping));
      }
      allColumns.addAll(rightSpec.outputSchema().columns());
      CalcOperator.Spec combined = new CalcOperator.Spec(rightSpec.condition() == null ? null
          : remap(rightSpec.condition(), mapping), all, new RowSchema(allColumns));
      add(combined);
      Chain result = new Chain(combined.outputSchema());
      for (int i = 0; i < width; i++) {
        result.inherit(i, out, i);
      }
      return result;
    }

    private Chain calc(Calc calc, CalcOperator.Spec given) {
      CalcOperator.Spec spec = given;
      Chain input;
      if (calc.getInput() instanceof TableFunctionScan tfs && !isSession(tfs)) {
        // Carry through the window only the input columns this Calc reads.
        int width = tfs.getInput(0).getRowType().getFieldCount();
        java.util.TreeSet<Integer> used = new java.util.TreeSet<>();
        for (Expr e : spec.projections()) {
          columnsOf(e, used);
        }
        if (spec.condition() != null) {
          columnsOf(spec.condition(), used);
        }
        int[] carried = used.stream().filter(i -> i < width).mapToInt(Integer::intValue).toArray();
        int[] mapping = new int[width + 3];
        java.util.Arrays.fill(mapping, -1);
        for (int i = 0; i < carried.length; i++) {
          mapping[carried[i]] = i;
        }
        for (int j = 0; j < 3; j++) {
          mapping[width + j] = carried.length + j;
        }
        input = tableFunction(tfs, carried);
        List<Expr> projections = new ArrayList<>();
        for (Expr e : spec.projections()) {
          projections.add(remap(e, mapping));
        }
        spec = new CalcOperator.Spec(spec.condition() == null ? null : remap(spec.condition(), mapping), projections,
            spec.outputSchema());
      } else {
        input = translate(calc.getInput());
      }
      if (input.session != null) {
        throw FreshetException.user("A SESSION window needs an aggregation directly over it: GROUP BY "
            + "window_start, window_end and the session's keys");
      }
      add(spec);
      Chain out = new Chain(spec.outputSchema());
      for (int i = 0; i < spec.projections().size(); i++) {
        if (spec.projections().get(i) instanceof Expr.ColumnRef ref) {
          out.inherit(i, input, ref.index());
        }
      }
      return out;
    }

    private CalcOperator.Spec calcSpec(Calc calc) {
      return calcSpec(calc, -1, null);
    }

    /** The Calc's condition and projections, with projection {@code replaced} (if any) computing {@code by}. */
    private CalcOperator.Spec calcSpec(Calc calc, int replaced, RexNode by) {
      RexTranslator translator = new RexTranslator(calc.getCluster().getRexBuilder());
      RexProgram program = calc.getProgram();
      Expr condition = null;
      if (program.getCondition() != null) {
        condition = translator.translate(program.expandLocalRef(program.getCondition()));
      }
      List<Expr> projections = new ArrayList<>();
      List<io.freshet.exec.types.Column> columns = new ArrayList<>();
      List<org.apache.calcite.rel.type.RelDataTypeField> fields = calc.getRowType().getFieldList();
      for (int i = 0; i < program.getProjectList().size(); i++) {
        if (i == replaced) {
          projections.add(translator.translate(by));
          columns.add(new io.freshet.exec.types.Column(fields.get(i).getName(), TypeKind.VARCHAR, true));
          continue;
        }
        projections.add(translator.translate(program.expandLocalRef(program.getProjectList().get(i))));
        columns.add(new io.freshet.exec.types.Column(fields.get(i).getName(), Types.toKind(fields.get(i).getType()),
            fields.get(i).getType().isNullable()));
      }
      return new CalcOperator.Spec(condition, projections, new RowSchema(columns));
    }

    private boolean isSession(TableFunctionScan tfs) {
      return ((RexCall) tfs.getCall()).getOperator().getName().equalsIgnoreCase("SESSION");
    }

    private void columnsOf(Expr e, java.util.Set<Integer> out) {
      if (e instanceof Expr.ColumnRef r) {
        out.add(r.index());
      } else if (e instanceof Expr.Call c) {
        c.args().forEach(a -> columnsOf(a, out));
      }
    }

    private Expr remap(Expr e, int[] mapping) {
      if (e instanceof Expr.ColumnRef r) {
        return new Expr.ColumnRef(mapping[r.index()], r.type());
      }
      if (e instanceof Expr.Call c) {
        List<Expr> args = new ArrayList<>();
        c.args().forEach(a -> args.add(remap(a, mapping)));
        return new Expr.Call(c.op(), args, c.type());
      }
      return e;
    }

    /** TUMBLE or HOP carrying {@code carried} input columns (null: all), or a SESSION for the aggregation above. */
    private Chain tableFunction(TableFunctionScan tfs, int[] carried) {
      RexCall call = (RexCall) tfs.getCall();
      String function = call.getOperator().getName().toUpperCase(java.util.Locale.ROOT);
      if (tfs.getInputs().size() != 1) {
        throw FreshetException.user(function + " needs one input table: TABLE(" + function + "(TABLE t, ...))");
      }
      Chain input = translate(tfs.getInputs().get(0));
      int time = descriptorColumn(call.getOperands().get(0), function);
      checkTimeAttribute(input, time, function);
      if (function.equals("SESSION")) {
        Chain out = new Chain(Types.toSchema(tfs.getRowType()));
        out.session = tfs;
        return out;
      }
      List<RexNode> args = call.getOperands();
      long size;
      long slide;
      long offset;
      if (function.equals("TUMBLE")) {
        size = interval(args.get(1), function, "size");
        slide = size;
        offset = args.size() > 2 ? interval(args.get(2), function, "offset") : 0;
      } else if (function.equals("HOP")) {
        slide = interval(args.get(1), function, "slide");
        size = interval(args.get(2), function, "size");
        offset = args.size() > 3 ? interval(args.get(3), function, "offset") : 0;
        if (size % slide != 0) {
          throw FreshetException.user("HOP's size (" + size + " ms) must be a whole multiple of its slide (" + slide
              + " ms), as in Flink");
        }
      } else {
        throw FreshetException.user("Unsupported table function " + function);
      }
      RowSchema full = Types.toSchema(tfs.getRowType());
      int inputWidth = input.schema.size();
      if (carried == null) {
        carried = new int[inputWidth];
        for (int i = 0; i < inputWidth; i++) {
          carried[i] = i;
        }
      }
      List<io.freshet.exec.types.Column> columns = new ArrayList<>();
      for (int c : carried) {
        columns.add(full.column(c));
      }
      for (int j = 0; j < 3; j++) {
        columns.add(full.column(inputWidth + j));
      }
      RowSchema schema = new RowSchema(columns);
      add(new WindowAssignOperator.Spec(time, size, slide, offset, carried, schema));
      int group = current;
      Chain out = new Chain(schema);
      int w = carried.length;
      for (int i = 0; i < w; i++) {
        out.inherit(i, input, carried[i]);
      }
      out.roles[w] = Role.WINDOW_START;
      out.roles[w + 1] = Role.WINDOW_END;
      out.roles[w + 2] = Role.WINDOW_TIME;
      for (int j = 0; j < 3; j++) {
        out.sizes[w + j] = size;
        out.windowIds[w + j] = group;
      }
      return out;
    }

    private void checkTimeAttribute(Chain input, int column, String function) {
      Role role = input.roles[column];
      if (input.schema.type(column) != TypeKind.TIMESTAMP) {
        throw FreshetException.user(function + "'s DESCRIPTOR names " + input.schema.column(column).name()
            + ", which is " + input.schema.type(column).sqlName() + "; it must be a TIMESTAMP event-time column");
      }
      if (role != Role.ROWTIME && role != Role.WINDOW_TIME && !source.bounded()) {
        throw FreshetException.user(function + " over DESCRIPTOR(" + input.schema.column(column).name() + ") needs "
            + "an event-time column: declare a watermark on it (CREATE STREAM " + source.name()
            + " (..., WATERMARK FOR " + input.schema.column(column).name() + " AS "
            + input.schema.column(column).name() + " - INTERVAL '5' SECOND) ...), or use window_time of an "
            + "inner window aggregation");
      }
    }

    private int descriptorColumn(RexNode node, String function) {
      if (node instanceof RexCall d && d.getOperands().size() == 1 && d.getOperands().get(0) instanceof RexInputRef r) {
        return r.getIndex();
      }
      throw FreshetException.user(function + " needs DESCRIPTOR(column) naming one event-time column");
    }

    private long interval(RexNode node, String function, String what) {
      if (node instanceof RexLiteral literal && literal.getValue() instanceof java.math.BigDecimal ms) {
        long value = ms.longValue();
        if (value <= 0 && !what.equals("offset")) {
          throw FreshetException.user(function + "'s " + what + " must be positive");
        }
        return value;
      }
      throw FreshetException.user(function + "'s " + what + " must be an INTERVAL literal, e.g. INTERVAL '10' SECOND");
    }

    private Chain aggregate(Aggregate agg) {
      if (agg.getGroupType() != Aggregate.Group.SIMPLE) {
        throw FreshetException.user("GROUPING SETS, ROLLUP and CUBE are not supported");
      }
      RelNode below = agg.getInput();
      Calc between = below instanceof Calc c ? c : null;
      RelNode tvf = between != null ? between.getInput() : below;
      if (tvf instanceof TableFunctionScan scan && ((RexCall) scan.getCall()).getOperator().getName()
          .equalsIgnoreCase("SESSION")) {
        return session(agg, between, scan);
      }
      Chain input = translate(below);
      int[] keys = agg.getGroupSet().toArray();
      List<AggregateCall> calls = calls(agg, input.schema, null);
      int closeKey = -1;
      long offset = 0;
      for (Role wanted : new Role[] {Role.WINDOW_END, Role.WINDOW_TIME, Role.WINDOW_START}) {
        for (int k = 0; k < keys.length && closeKey < 0; k++) {
          if (input.roles[keys[k]] == wanted) {
            closeKey = k;
            offset = wanted == Role.WINDOW_TIME ? 1 : wanted == Role.WINDOW_START ? input.sizes[keys[k]] : 0;
          }
        }
      }
      RowSchema schema = Types.toSchema(agg.getRowType());
      List<String> keyNames = new ArrayList<>();
      for (int k : keys) {
        keyNames.add(input.schema.column(k).name());
      }
      String description = keys.length == 0 ? "without GROUP BY" : "GROUP BY " + String.join(", ", keyNames);
      long[] derived = derivedWindowKeys(input, keys, closeKey);
      HashAggregateOperator.Spec spec = new HashAggregateOperator.Spec(keys, calls, schema, closeKey, offset,
          HashAggregateOperator.Emit.UPDATES, derived);
      add(spec, storedKeys(keys, derived));
      aggregates.put(current, description);
      Chain out = new Chain(schema);
      for (int k = 0; k < keys.length; k++) {
        out.inherit(k, input, keys[k]);
      }
      return out;
    }

    /**
     * For each grouping key, how it follows from the close key when both are columns of the same window (the
     * start is the end minus the size, the time the end minus 1 ms), so that it is not hashed and stored.
     */
    private long[] derivedWindowKeys(Chain input, int[] keys, int closeKey) {
      long[] derived = new long[keys.length];
      java.util.Arrays.fill(derived, HashAggregateOperator.NOT_DERIVED);
      if (closeKey < 0) {
        return derived;
      }
      int close = keys[closeKey];
      Role closeRole = input.roles[close];
      long size = input.sizes[close];
      for (int k = 0; k < keys.length; k++) {
        int c = keys[k];
        if (k == closeKey || input.windowIds[c] < 0 || input.windowIds[c] != input.windowIds[close]) {
          continue;
        }
        // Offsets from the window's end.
        long fromEnd = switch (input.roles[c]) {
          case WINDOW_START -> size > 0 ? -size : HashAggregateOperator.NOT_DERIVED;
          case WINDOW_END -> 0;
          case WINDOW_TIME -> -1;
          default -> HashAggregateOperator.NOT_DERIVED;
        };
        long closeFromEnd = closeRole == Role.WINDOW_TIME ? -1 : closeRole == Role.WINDOW_END ? 0
            : HashAggregateOperator.NOT_DERIVED;
        if (fromEnd != HashAggregateOperator.NOT_DERIVED && closeFromEnd != HashAggregateOperator.NOT_DERIVED) {
          derived[k] = fromEnd - closeFromEnd;
        }
      }
      return derived;
    }

    /** The aggregate calls, reading input columns through {@code mapping} (identity when null). */
    private List<AggregateCall> calls(Aggregate agg, RowSchema input, int[] mapping) {
      List<AggregateCall> calls = new ArrayList<>();
      for (org.apache.calcite.rel.core.AggregateCall c : agg.getAggCallList()) {
        if (c.filterArg >= 0) {
          throw FreshetException.user("FILTER (WHERE ...) on an aggregate is not supported yet; use CASE inside it");
        }
        if (c.getArgList().size() > 1) {
          throw FreshetException.user(c.getAggregation().getName() + " with several arguments is not supported");
        }
        int arg = c.getArgList().isEmpty() ? -1 : c.getArgList().get(0);
        if (arg >= 0 && mapping != null) {
          arg = mapping[arg];
        }
        TypeKind argType = arg < 0 ? null : input.type(arg);
        AggregateCall.Kind kind = switch (c.getAggregation().getKind()) {
          case COUNT -> c.isApproximate() && c.isDistinct() ? AggregateCall.Kind.APPROX_COUNT_DISTINCT
              : c.isDistinct() ? AggregateCall.Kind.COUNT_DISTINCT : AggregateCall.Kind.COUNT;
          case SUM, SUM0 -> AggregateCall.Kind.SUM;
          case MIN -> AggregateCall.Kind.MIN;
          case MAX -> AggregateCall.Kind.MAX;
          case AVG -> AggregateCall.Kind.AVG;
          default -> throw FreshetException.user("The aggregate function " + c.getAggregation().getName()
              + " is not supported; use COUNT, SUM, MIN, MAX, AVG, COUNT(DISTINCT x) or APPROX_COUNT_DISTINCT");
        };
        if (c.isDistinct() && kind != AggregateCall.Kind.COUNT_DISTINCT && kind != AggregateCall.Kind.APPROX_COUNT_DISTINCT
            && kind != AggregateCall.Kind.MIN && kind != AggregateCall.Kind.MAX) {
          throw FreshetException.user(c.getAggregation().getName() + "(DISTINCT ...) is not supported; only COUNT");
        }
        if ((kind == AggregateCall.Kind.SUM || kind == AggregateCall.Kind.AVG) && !argType.isNumeric()) {
          throw FreshetException.user(c.getAggregation().getName() + " needs a number, not " + argType.sqlName());
        }
        if (kind == AggregateCall.Kind.COUNT_DISTINCT && arg < 0) {
          throw FreshetException.user("COUNT(DISTINCT *) is not valid");
        }
        calls.add(new AggregateCall(kind, arg, argType, Types.toKind(c.getType())));
      }
      return calls;
    }

    /** SESSION windows and the aggregation over them, fused into one operator. */
    private Chain session(Aggregate agg, Calc between, TableFunctionScan scan) {
      RexCall call = (RexCall) scan.getCall();
      Chain input = translate(scan.getInputs().get(0));
      int width = input.schema.size();
      int time = descriptorColumn(call.getOperands().get(0), "SESSION");
      checkTimeAttribute(input, time, "SESSION");
      List<RexNode> args = call.getOperands();
      int[] partitionKeys = new int[0];
      long gap;
      if (args.size() == 3) {
        RexCall keys = (RexCall) args.get(1);
        partitionKeys = new int[keys.getOperands().size()];
        for (int i = 0; i < partitionKeys.length; i++) {
          partitionKeys[i] = ((RexInputRef) keys.getOperands().get(i)).getIndex();
        }
        gap = interval(args.get(2), "SESSION", "gap");
      } else {
        gap = interval(args.get(1), "SESSION", "gap");
      }
      // Columns of the aggregation's input, as columns of the session table function's output.
      int aggInputWidth = agg.getInput().getRowType().getFieldCount();
      int[] mapping = new int[aggInputWidth];
      if (between == null) {
        for (int i = 0; i < aggInputWidth; i++) {
          mapping[i] = i;
        }
      } else {
        CalcOperator.Spec mid = calcSpec(between);
        for (int i = 0; i < aggInputWidth; i++) {
          if (!(mid.projections().get(i) instanceof Expr.ColumnRef ref)) {
            throw FreshetException.user("Between SESSION and its GROUP BY only plain columns may be selected; "
                + "compute expressions before the window (in a view) or after the aggregation");
          }
          mapping[i] = ref.index();
        }
        if (mid.condition() != null) {
          if (references(mid.condition(), width)) {
            throw FreshetException.user("A WHERE over a SESSION window may not read window_start, window_end or "
                + "window_time; filter after the aggregation");
          }
          List<Expr> identity = new ArrayList<>();
          for (int i = 0; i < width; i++) {
            identity.add(new Expr.ColumnRef(i, input.schema.type(i)));
          }
          add(new CalcOperator.Spec(mid.condition(), identity, input.schema));
        }
      }
      int[] groupKeys = agg.getGroupSet().toArray();
      int[] layout = new int[groupKeys.length];
      java.util.Set<Integer> grouped = new java.util.HashSet<>();
      for (int k = 0; k < groupKeys.length; k++) {
        int column = mapping[groupKeys[k]];
        if (column == width) {
          layout[k] = SessionAggregateOperator.WINDOW_START;
        } else if (column == width + 1) {
          layout[k] = SessionAggregateOperator.WINDOW_END;
        } else if (column == width + 2) {
          layout[k] = SessionAggregateOperator.WINDOW_TIME;
        } else {
          int position = indexOf(partitionKeys, column);
          if (position < 0) {
            throw FreshetException.user("GROUP BY over a SESSION window may use window_start, window_end, "
                + "window_time and the session's PARTITION BY keys, but " + input.schema.column(column).name()
                + " is not a key; add PARTITION BY " + input.schema.column(column).name());
          }
          layout[k] = position;
          grouped.add(position);
        }
      }
      if (grouped.size() != partitionKeys.length) {
        throw FreshetException.user("GROUP BY over a SESSION window must name all of its PARTITION BY keys");
      }
      for (int m : mapping) {
        if (m >= width && m > width + 2) {
          throw FreshetException.user("Unexpected column after SESSION");
        }
      }
      List<AggregateCall> calls = calls(agg, input.schema, mapping);
      for (AggregateCall c : calls) {
        if (c.argument() >= width) {
          throw FreshetException.user("Aggregates over a SESSION window read the input's columns, not its "
              + "window columns");
        }
        if (c.kind() == AggregateCall.Kind.COUNT_DISTINCT) {
          throw FreshetException.user("COUNT(DISTINCT ...) over SESSION windows is not supported yet (merging "
              + "sessions would merge their distinct sets); use APPROX_COUNT_DISTINCT");
        }
      }
      RowSchema schema = Types.toSchema(agg.getRowType());
      add(new SessionAggregateOperator.Spec(time, partitionKeys, gap, calls, layout, schema), partitionKeys);
      int group = current;
      Chain out = new Chain(schema);
      for (int k = 0; k < layout.length; k++) {
        if (layout[k] == SessionAggregateOperator.WINDOW_END) {
          out.roles[k] = Role.WINDOW_END;
          out.windowIds[k] = group;
        } else if (layout[k] == SessionAggregateOperator.WINDOW_TIME) {
          out.roles[k] = Role.WINDOW_TIME;
          out.windowIds[k] = group;
        }
      }
      return out;
    }

    private boolean references(Expr e, int atLeast) {
      if (e instanceof Expr.ColumnRef r) {
        return r.index() >= atLeast;
      }
      if (e instanceof Expr.Call c) {
        for (Expr operand : c.args()) {
          if (references(operand, atLeast)) {
            return true;
          }
        }
      }
      return false;
    }

    /** Window Top-N: {@code ROW_NUMBER() OVER (PARTITION BY window_start, window_end ORDER BY x DESC) <= N}. */
    private Chain rank(Calc calc, Window window) {
      UnsupportedQueries.refuseOverAggregations(window);
      Chain input = translate(window.getInput());
      if (window.groups.size() != 1 || window.groups.get(0).aggCalls.size() != 1) {
        throw FreshetException.user("A Top-N has one ranking function: ROW_NUMBER(), RANK() or DENSE_RANK()");
      }
      Window.Group group = window.groups.get(0);
      org.apache.calcite.sql.SqlKind kind = group.aggCalls.get(0).getOperator().getKind();
      WindowRankOperator.Function function = switch (kind) {
        case ROW_NUMBER -> WindowRankOperator.Function.ROW_NUMBER;
        case RANK -> WindowRankOperator.Function.RANK;
        case DENSE_RANK -> WindowRankOperator.Function.DENSE_RANK;
        default -> throw FreshetException.user("OVER windows are supported only as a Top-N with ROW_NUMBER(), "
            + "RANK() or DENSE_RANK(), not " + kind);
      };
      int width = input.schema.size();
      int[] partition = group.keys.toArray();
      int closeKey = -1;
      long offset = 0;
      for (int k : partition) {
        Role role = input.roles[k];
        if (closeKey < 0 && (role == Role.WINDOW_END || role == Role.WINDOW_TIME || role == Role.WINDOW_START)) {
          closeKey = k;
          offset = role == Role.WINDOW_TIME ? 1 : role == Role.WINDOW_START ? input.sizes[k] : 0;
        }
      }
      if (closeKey < 0) {
        throw FreshetException.user("A Top-N over a stream must be per window: PARTITION BY window_start, "
            + "window_end (of TUMBLE, HOP or a window aggregation); a global Top-N is not supported yet");
      }
      List<RelFieldCollation> order = group.orderKeys.getFieldCollations();
      if (order.isEmpty()) {
        throw FreshetException.user("A Top-N needs ORDER BY inside OVER (...)");
      }
      int[] orderColumns = new int[order.size()];
      boolean[] descending = new boolean[order.size()];
      for (int i = 0; i < order.size(); i++) {
        orderColumns[i] = order.get(i).getFieldIndex();
        descending[i] = order.get(i).getDirection().isDescending();
      }
      long limit = rankLimit(calc, width);
      RowSchema schema = Types.toSchema(window.getRowType());
      add(new WindowRankOperator.Spec(partition, closeKey, offset, orderColumns, descending, function, limit,
          schema), partition);
      Chain ranked = new Chain(schema);
      for (int i = 0; i < width; i++) {
        ranked.inherit(i, input, i);
      }
      CalcOperator.Spec spec = calcSpec(calc);
      add(spec);
      Chain out = new Chain(spec.outputSchema());
      for (int i = 0; i < spec.projections().size(); i++) {
        if (spec.projections().get(i) instanceof Expr.ColumnRef ref) {
          out.inherit(i, ranked, ref.index());
        }
      }
      return out;
    }

    private long rankLimit(Calc calc, int rankColumn) {
      RexProgram program = calc.getProgram();
      if (program.getCondition() != null) {
        RexNode condition = program.expandLocalRef(program.getCondition());
        for (RexNode conjunct : org.apache.calcite.plan.RelOptUtil.conjunctions(condition)) {
          if (conjunct instanceof RexCall c && c.getOperands().size() == 2
              && c.getOperands().get(0) instanceof RexInputRef ref && ref.getIndex() == rankColumn
              && c.getOperands().get(1) instanceof RexLiteral lit) {
            long n = ((java.math.BigDecimal) lit.getValue()).longValue();
            switch (c.getKind()) {
              case LESS_THAN_OR_EQUAL:
                return n;
              case LESS_THAN:
                return n - 1;
              case EQUALS:
                return n;
              default:
                break;
            }
          }
        }
      }
      throw FreshetException.user("A Top-N needs a filter on its rank, e.g. WHERE rn <= 3; without one every row "
          + "of every window is kept");
    }
  }

  /** The grouping keys an aggregation hashes: those not computed from its close key. */
  private static int[] storedKeys(int[] keys, long[] derived) {
    List<Integer> stored = new ArrayList<>();
    for (int k = 0; k < keys.length; k++) {
      if (derived[k] == HashAggregateOperator.NOT_DERIVED) {
        stored.add(keys[k]);
      }
    }
    return stored.stream().mapToInt(Integer::intValue).toArray();
  }

  private static int indexOf(int[] a, int v) {
    for (int i = 0; i < a.length; i++) {
      if (a[i] == v) {
        return i;
      }
    }
    return -1;
  }

  private static FreshetException unsupportedPlan(RelNode node) {
    String what;
    if (node instanceof Join) {
      what = "Joins are not supported yet";
    } else if (node instanceof Sort) {
      what = "ORDER BY, LIMIT and FETCH are not supported on streams";
    } else if (node instanceof Values) {
      what = "A query must read a stream or table (SELECT ... FROM name)";
    } else if (node instanceof org.apache.calcite.rel.core.SetOp) {
      what = "UNION, INTERSECT and EXCEPT are not supported yet";
    } else if (UnsupportedQueries.hasSubQuery(node)) {
      what = UnsupportedQueries.SUBQUERIES;
    } else {
      what = "This query shape is not supported yet: " + node.getRelTypeName();
    }
    return FreshetException.user(what);
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
