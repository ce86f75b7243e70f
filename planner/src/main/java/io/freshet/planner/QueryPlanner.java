package io.freshet.planner;

import io.freshet.exec.expr.Expr;
import io.freshet.exec.operator.CalcOperator;
import io.freshet.exec.types.RowSchema;
import io.freshet.exec.types.TypeKind;
import io.freshet.streaming.FreshetException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.calcite.jdbc.CalciteSchema;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.plan.hep.HepPlanner;
import org.apache.calcite.plan.hep.HepProgramBuilder;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.Calc;
import org.apache.calcite.rel.core.Join;
import org.apache.calcite.rel.core.Sort;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rel.core.Values;
import org.apache.calcite.rel.rules.CoreRules;
import org.apache.calcite.rel.type.RelDataTypeSystem;
import org.apache.calcite.rel.type.RelDataTypeSystemImpl;
import org.apache.calcite.rex.RexLocalRef;
import org.apache.calcite.rex.RexProgram;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.calcite.sql.SqlNode;
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
    for (PlannerTable t : tables) {
      root.add(t.name(), new StreamTable(t));
    }
    return Frameworks.newConfigBuilder()
        .defaultSchema(root)
        .parserConfig(SqlParsers.CONFIG)
        .typeSystem(TYPE_SYSTEM)
        .build();
  }

  /** Plans a query given as parsed SQL (a SELECT, possibly with ORDER BY, which is refused). */
  public PlannedQuery plan(SqlNode query) {
    Planner planner = Frameworks.getPlanner(config());
    RelNode logical;
    try {
      // Calcite's Planner validates only after a parse; the query is parsed already (with its script
      // positions), so the planner parses a placeholder and then validates the real node.
      planner.parse("VALUES 1");
      SqlNode validated = planner.validate(query);
      logical = planner.rel(validated).project();
    } catch (ValidationException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw FreshetException.user(cause.getMessage(), e);
    } catch (RelConversionException | org.apache.calcite.sql.parser.SqlParseException e) {
      throw FreshetException.user(e.getMessage(), e);
    } finally {
      planner.close();
    }
    return toPhysical(logical);
  }

  private PlannedQuery toPhysical(RelNode logical) {
    HepProgramBuilder program = new HepProgramBuilder()
        .addRuleInstance(CoreRules.FILTER_TO_CALC)
        .addRuleInstance(CoreRules.PROJECT_TO_CALC)
        .addRuleInstance(CoreRules.CALC_MERGE)
        .addRuleInstance(CoreRules.CALC_REMOVE);
    HepPlanner hep = new HepPlanner(program.build());
    hep.setRoot(logical);
    RelNode optimized = hep.findBestExp();

    RowSchema output = Types.toSchema(optimized.getRowType());
    Calc calc = null;
    RelNode input = optimized;
    if (optimized instanceof Calc c) {
      calc = c;
      input = c.getInput();
    }
    if (!(input instanceof TableScan scan)) {
      throw unsupportedPlan(input);
    }
    StreamTable table = scan.getTable().unwrap(StreamTable.class);
    if (table == null) {
      throw FreshetException.user("Cannot read " + scan.getTable().getQualifiedName());
    }
    CalcOperator.Spec spec = null;
    if (calc != null) {
      RexTranslator translator = new RexTranslator(calc.getCluster().getRexBuilder());
      RexProgram program1 = calc.getProgram();
      Expr condition = null;
      RexLocalRef conditionRef = program1.getCondition();
      if (conditionRef != null) {
        condition = translator.translate(program1.expandLocalRef(conditionRef));
      }
      List<Expr> projections = new ArrayList<>();
      for (RexLocalRef ref : program1.getProjectList()) {
        projections.add(translator.translate(program1.expandLocalRef(ref)));
      }
      spec = new CalcOperator.Spec(condition, projections, output);
    }
    String explain = "== Logical plan ==\n" + RelOptUtil.toString(logical)
        + "== Physical plan ==\n" + describe(spec, table.table());
    return new PlannedQuery(table.table(), spec, output, explain);
  }

  private static String describe(CalcOperator.Spec spec, PlannerTable source) {
    StringBuilder sb = new StringBuilder();
    if (spec != null) {
      sb.append("Calc(");
      if (spec.condition() != null) {
        sb.append("filter=[").append(spec.condition()).append("], ");
      }
      sb.append("project=").append(spec.projections()).append(")\n  ");
    }
    sb.append("Scan(").append(source.name()).append(source.bounded() ? ", bounded" : ", unbounded").append(")\n");
    return sb.toString();
  }

  private static FreshetException unsupportedPlan(RelNode node) {
    String what;
    if (node instanceof Aggregate) {
      what = "Aggregations (GROUP BY, COUNT, SUM, ...) are not supported yet; they come with event-time windows";
    } else if (node instanceof Join) {
      what = "Joins are not supported yet";
    } else if (node instanceof Sort) {
      what = "ORDER BY, LIMIT and FETCH are not supported on streams";
    } else if (node instanceof Values) {
      what = "A query must read a stream or table (SELECT ... FROM name)";
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
