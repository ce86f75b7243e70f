package io.freshet.planner.logical;

import io.freshet.streaming.FreshetException;
import java.util.List;
import java.util.Map;
import org.apache.calcite.config.CalciteConnectionConfig;
import org.apache.calcite.config.CalciteConnectionProperty;
import org.apache.calcite.jdbc.CalciteSchema;
import org.apache.calcite.jdbc.JavaTypeFactoryImpl;
import org.apache.calcite.plan.ConventionTraitDef;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.volcano.VolcanoPlanner;
import org.apache.calcite.prepare.CalciteCatalogReader;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelRoot;
import org.apache.calcite.rel.core.RelFactories;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.runtime.CalciteException;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSyntax;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.validate.SqlNameMatchers;
import org.apache.calcite.sql.SqlOperatorTable;
import org.apache.calcite.sql.util.SqlOperatorTables;
import org.apache.calcite.sql.validate.SqlValidator;
import org.apache.calcite.sql.validate.SqlValidatorUtil;
import org.apache.calcite.sql2rel.RelDecorrelator;
import org.apache.calcite.sql2rel.SqlToRelConverter;
import org.apache.calcite.sql2rel.StandardConvertletTable;
import org.apache.calcite.tools.FrameworkConfig;
import org.apache.calcite.tools.RelBuilder;

/**
 * One Calcite cluster over the catalog, in which a query's logical plan is built: SQL is validated and converted
 * here, and the Java API's Dataset operations are built here with a {@link RelBuilder}, so that the logical plans
 * of several queries (the two sides of a join of Datasets) share one cluster and type factory. Calcite's
 * {@code Planner} does the same for one statement at a time.
 */
public final class LogicalContext {
  private final FrameworkConfig config;
  private final CalciteCatalogReader catalog;
  private final RelOptCluster cluster;

  public LogicalContext(FrameworkConfig config) {
    this.config = config;
    JavaTypeFactoryImpl types = new JavaTypeFactoryImpl(config.getTypeSystem());
    CalciteConnectionConfig connection = CalciteConnectionConfig.DEFAULT
        .set(CalciteConnectionProperty.CASE_SENSITIVE, String.valueOf(config.getParserConfig().caseSensitive()))
        .set(CalciteConnectionProperty.CONFORMANCE, config.getParserConfig().conformance().toString());
    SchemaPlus root = config.getDefaultSchema();
    this.catalog = new CalciteCatalogReader(CalciteSchema.from(root), List.of(), types, connection);
    VolcanoPlanner planner = new VolcanoPlanner(config.getCostFactory(), config.getContext());
    planner.addRelTraitDef(ConventionTraitDef.INSTANCE);
    this.cluster = RelOptCluster.create(planner, new RexBuilder(types));
  }

  /** A validator over the catalog, with the configured functions; one per statement, as validators keep state. */
  SqlValidator validator() {
    SqlOperatorTable operators = SqlOperatorTables.chain(config.getOperatorTable(), catalog);
    return SqlValidatorUtil.newValidator(operators, catalog, cluster.getTypeFactory(),
        config.getSqlValidatorConfig()
            .withConformance(config.getParserConfig().conformance())
            .withIdentifierExpansion(true));
  }

  /** The row type of a query, once validated (its names as written: {@code SELECT k, k} gives k and k). */
  public RelDataType validate(SqlNode query) {
    SqlValidator validator = validator();
    return validator.getValidatedNodeType(validated(() -> validator.validate(query)));
  }

  /**
   * The logical plan of a query: validated, converted, with correlated subqueries decorrelated. Throws Calcite's
   * exception for a query that does not validate.
   */
  public RelNode convert(SqlNode query) {
    SqlValidator validator = validator();
    SqlNode validated = validated(() -> validator.validate(query));
    SqlToRelConverter converter = converter(validator);
    RelRoot root = converter.convertQuery(validated, false, true);
    root = root.withRel(converter.flattenTypes(root.rel, true));
    root = root.withRel(RelDecorrelator.decorrelateQuery(root.rel, builder()));
    return root.project();
  }

  /**
   * A SQL expression over named columns ({@code types} gives each one's type and {@code columns} the row expression
   * it stands for), as a row expression. Throws Calcite's exception for one that does not validate.
   */
  RexNode expression(SqlNode expression, Map<String, RelDataType> types, Map<String, RexNode> columns) {
    SqlValidator validator = validator();
    SqlNode validated = validated(() -> validator.validateParameterizedExpression(expression, types));
    return converter(validator).convertExpression(validated, columns);
  }

  /**
   * What the validator gives; any other failure of it is a validation error too (as Calcite's Planner takes it), so
   * that it reaches the user as one, with its message, not as an exception of Calcite's.
   */
  private static SqlNode validated(java.util.function.Supplier<SqlNode> validation) {
    try {
      return validation.get();
    } catch (CalciteException | FreshetException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new CalciteException(e.getMessage() != null ? e.getMessage() : e.toString(), e);
    }
  }

  private SqlToRelConverter converter(SqlValidator validator) {
    return new SqlToRelConverter((rowType, queryString, schemaPath, viewPath) -> {
      throw new UnsupportedOperationException("Freshet expands views before planning");
    }, validator, catalog, cluster, StandardConvertletTable.INSTANCE,
        config.getSqlToRelConverterConfig().withTrimUnusedFields(false));
  }

  /** A builder of logical plans in this cluster, whose scans read the catalog. */
  public RelBuilder builder() {
    return RelFactories.LOGICAL_BUILDER.create(cluster, catalog);
  }

  RelOptCluster cluster() {
    return cluster;
  }

  /** The function or operator {@code name} takes as SQL spells it ({@code UPPER}, {@code TUMBLE}), or null. */
  SqlOperator function(String name) {
    List<SqlOperator> found = new java.util.ArrayList<>();
    config.getOperatorTable().lookupOperatorOverloads(new SqlIdentifier(name, SqlParserPos.ZERO), null,
        SqlSyntax.FUNCTION, found, SqlNameMatchers.withCaseSensitive(false));
    return found.isEmpty() ? null : found.get(0);
  }
}
