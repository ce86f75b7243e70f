package io.freshet.sql;

import io.freshet.exec.connector.ConnectorOptions;
import io.freshet.exec.connector.SchemaCheck;
import io.freshet.exec.connector.SinkProvider;
import io.freshet.exec.connector.SourceProvider;
import io.freshet.exec.engine.QueryEvolution;
import io.freshet.exec.engine.StreamExecution;
import io.freshet.exec.expr.Expr;
import io.freshet.exec.memory.MemoryStream;
import io.freshet.exec.memory.MemoryTable;
import io.freshet.exec.plan.StreamPlan;
import io.freshet.exec.state.StateBackend;
import io.freshet.exec.types.RowSchema;
import io.freshet.planner.PlannedQuery;
import io.freshet.planner.QueryPlanner;
import io.freshet.sql.catalog.TableDefinition;
import io.freshet.sql.catalog.TableKind;
import io.freshet.sql.catalog.ViewDefinition;
import io.freshet.sql.catalog.Watermark;
import io.freshet.sql.parser.FreshetParser;
import io.freshet.sql.parser.SqlCreateFunction;
import io.freshet.sql.parser.SqlCreateTable;
import io.freshet.sql.parser.SqlCreateView;
import io.freshet.sql.parser.SqlDropFunction;
import io.freshet.sql.parser.SqlDropTable;
import io.freshet.sql.parser.SqlDropView;
import io.freshet.sql.parser.SqlExplainUpgrade;
import io.freshet.sql.parser.SqlHelp;
import io.freshet.sql.parser.SqlShow;
import io.freshet.sql.parser.SqlStopQuery;
import io.freshet.streaming.FreshetException;
import io.freshet.streaming.OutputMode;
import io.freshet.streaming.Trigger;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.calcite.sql.SqlDescribeTable;
import org.apache.calcite.sql.SqlExplain;
import org.apache.calcite.sql.SqlInsert;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOrderBy;
import org.apache.calcite.sql.SqlSetOption;

/**
 * Runs the statements of a session: DDL (views through {@link ViewStatements}), SHOW, DESCRIBE, SET and RESET take
 * effect at once, EXPLAIN and HELP answer at once, a SELECT becomes a Dataset for the caller to run, INSERT INTO
 * starts a persistent query, and STOP QUERY stops one.
 */
final class StatementExecutor {
  private final FreshetSession session;
  private final ViewStatements views;
  private final ShowStatements shows;
  private final FunctionStatements functions;

  StatementExecutor(FreshetSession session) {
    this.session = session;
    this.views = new ViewStatements(session);
    this.shows = new ShowStatements(session);
    this.functions = new FunctionStatements(session);
  }

  StatementResult execute(String text, int line, int column) {
    SqlNode node = FreshetParser.parseStatement(text, line, column);
    if (node instanceof SqlCreateTable c) {
      return create(c);
    } else if (node instanceof SqlCreateView c) {
      return views.create(c);
    } else if (node instanceof SqlDropTable d) {
      return drop(d);
    } else if (node instanceof SqlDropView d) {
      return views.drop(d);
    } else if (node instanceof SqlCreateFunction c) {
      return functions.create(c);
    } else if (node instanceof SqlDropFunction d) {
      return functions.drop(d);
    } else if (node instanceof SqlShow s) {
      return s.what() == SqlShow.What.VIEWS ? views.show() : shows.show(s);
    } else if (node instanceof SqlDescribeTable d) {
      String name = String.join(".", d.getTable().names);
      ViewDefinition view = session.catalog().view(name);
      return view != null ? views.describe(view) : shows.describe(session.catalog().get(name));
    } else if (node instanceof SqlSetOption s) {
      return s.getValue() == null ? reset(s.getName().getSimple()) : set(s.getName().getSimple(),
          ((SqlLiteral) s.getValue()).getValueAs(String.class));
    } else if (node instanceof SqlExplainUpgrade u) {
      return explainUpgrade(u);
    } else if (node instanceof SqlExplain e) {
      return explain(e.getExplicandum());
    } else if (node instanceof SqlStopQuery s) {
      return stop(s);
    } else if (node instanceof SqlHelp h) {
      return new StatementResult.Text(Help.text(h.topic()));
    } else if (node instanceof SqlInsert insert) {
      return insert(insert);
    }
    if (!node.getKind().belongsTo(SqlKind.QUERY) && !(node instanceof SqlOrderBy)) {
      throw FreshetException.user("Unsupported statement " + node.getKind() + " at "
          + FreshetParser.where(node.getParserPosition()) + "; HELP lists the statements Freshet runs");
    }
    return new StatementResult.Query(session.query(node, () -> FreshetParser.parseStatement(text, line, column)));
  }

  private StatementResult set(String key, String value) {
    session.conf().set(key, value);
    return new StatementResult.Message("Set '" + key + "' = '" + value + "'");
  }

  /** RESET 'key'; RESET alone (or RESET ALL) resets every setting. */
  private StatementResult reset(String key) {
    if (key.equalsIgnoreCase("ALL")) {
      session.conf().reset();
      return new StatementResult.Message("Reset all settings");
    }
    session.conf().unset(key);
    return new StatementResult.Message("Reset '" + key + "'");
  }

  private StatementResult explain(SqlNode node) {
    PlannedQuery plan = session.plan(node instanceof SqlInsert insert ? insert.getSource() : node);
    String text = plan.explain(session.configuredMode(),
        StateBackend.named(session.conf().get(RuntimeConfig.STATE_STORE)).pagesToDisk());
    return new StatementResult.Text(text.endsWith("\n") ? text : text + "\n");
  }

  // ---------------------------------------------------------------- CREATE and DROP

  private StatementResult create(SqlCreateTable c) {
    if (c.ifNotExists && session.catalog().contains(c.name())) {
      return new StatementResult.Message("Exists already: " + c.name());
    }
    String connector = TableDefinition.option(c.options(), "connector");
    if (connector == null) {
      throw FreshetException.user("SQL error at " + c.position() + ": " + c.name()
          + " needs a connector: add WITH ('connector' = '...'); sources: "
          + String.join(", ", session.connectors().sourceNames()) + "; sinks: "
          + String.join(", ", session.connectors().sinkNames()));
    }
    RowSchema declared = c.columns() == null ? null : new RowSchema(c.columns());
    TableDefinition definition;
    try {
      definition = define(c.name(), c.kind(), connector, c.options(), declared, c.watermark())
          .withPrimaryKey(c.primaryKey()).withComputedColumns(c.computedColumns());
    } catch (FreshetException e) {
      throw new FreshetException(e.kind(), "In " + c.kind().name() + " " + c.name() + " (" + c.position() + "): "
          + e.getMessage(), e);
    }
    session.catalog().add(definition, c.orReplace());
    return new StatementResult.Message("Created " + c.kind().name().toLowerCase() + " " + c.name());
  }

  /**
   * Checks a definition against its connector (every option and its value, as the connector will read them when a
   * query starts) and adds nothing; the caller adds it to the catalog. A stream, or a table over a connector that
   * is only a source, is an input; any other table is a sink.
   */
  TableDefinition define(String name, TableKind kind, String connector, Map<String, String> options,
      RowSchema declared, Watermark watermark) {
    var connectors = session.connectors();
    boolean isSource = connectors.hasSource(connector);
    boolean isSink = connectors.hasSink(connector);
    boolean input = kind == TableKind.STREAM || !isSink;
    if (!isSource && !isSink) {
      throw kind == TableKind.STREAM ? connectors.unknownSource(connector) : connectors.unknownSink(connector);
    }
    if (input && !isSource) {
      throw FreshetException.user("Connector '" + connector + "' is a sink, so a stream cannot read it; use CREATE "
          + "TABLE to write into it. Sources: " + String.join(", ", connectors.sourceNames()));
    }
    // A sink table reads back (a memory table) as a bounded input.
    TableDefinition definition = new TableDefinition(name, kind, connector, options, declared, declared, watermark,
        true);
    String misplaced = input ? TableDefinition.OUTPUT_MODE : TableDefinition.IDLE_TIMEOUT;
    if (definition.hasOption(misplaced)) {
      throw FreshetException.user("Option '" + misplaced + "' applies to " + (input ? "sink tables" : "sources")
          + ", not to " + (input ? "a source" : "a sink table"));
    }
    definition.idleTimeoutMs();
    if (definition.outputMode() != null) {
      OutputMode.parse(definition.outputMode());
    }
    if (!input) {
      SinkProvider provider = connectors.sink(connector);
      provider.validate(new ConnectorOptions(connector, name, definition.connectorOptions(), provider.options()),
          declared);
      return definition;
    }
    SourceProvider provider = connectors.source(connector);
    ConnectorOptions checked = new ConnectorOptions(connector, name, definition.connectorOptions(),
        provider.options());
    provider.validate(checked, declared);
    RowSchema own = provider.defaultSchema(checked);
    if (own == null && declared == null) {
      throw FreshetException.user("Connector '" + connector + "' has no schema of its own; declare the columns");
    }
    RowSchema schema = own == null ? declared : SchemaCheck.declaredOrOwn(declared, own, name,
        "connector '" + connector + "'");
    return new TableDefinition(name, kind, connector, options, declared, schema, watermark,
        provider.isBounded(checked));
  }

  private StatementResult drop(SqlDropTable d) {
    var catalog = session.catalog();
    ViewDefinition view = catalog.view(d.name());
    if (view != null) {
      throw FreshetException.user("'" + view.name() + "' is a view; use DROP VIEW " + view.name());
    }
    if (!catalog.contains(d.name()) && d.ifExists) {
      return new StatementResult.Message("No " + d.name() + " to drop");
    }
    TableDefinition t = catalog.getExact(d.name());
    for (StreamExecution q : session.queries().running()) {
      boolean reads = q.definition().sources().stream().anyMatch(b -> b.name().equalsIgnoreCase(t.name()));
      if (reads || t.name().equalsIgnoreCase(q.name())) {
        throw FreshetException.user("Cannot drop " + t.name() + ": running query " + q.name() + " [id = " + q.id()
            + "] uses it; stop it first with STOP QUERY " + (q.name() == null ? q.id() : q.name()));
      }
    }
    if (t.kind() != d.kind()) {
      throw FreshetException.user("'" + t.name() + "' is a " + t.kind().name().toLowerCase() + "; use DROP "
          + t.kind().name() + " " + t.name());
    }
    catalog.remove(t.name());
    session.resources().close(MemoryStream.resourceKey(t.name()));
    session.resources().close(MemoryTable.resourceKey(t.name()));
    return new StatementResult.Message("Dropped " + d.kind().name().toLowerCase() + " " + t.name());
  }

  // ---------------------------------------------------------------- SHOW, DESCRIBE, STOP QUERY

  private StatementResult stop(SqlStopQuery s) {
    List<StreamExecution> matches = shows.running(s.nameOrId(), s.namePosition());
    for (StreamExecution q : matches) {
      q.stop();
    }
    StreamExecution q = matches.get(0);
    return new StatementResult.Stopped(List.copyOf(matches), "Stopped query " + q.name() + " [id = " + q.id() + "]");
  }

  // ---------------------------------------------------------------- INSERT

  /** An INSERT INTO as planned, before it runs: its plan, its sink and where its checkpoint is. */
  private record PreparedInsert(PlannedQuery plan, List<Expr> casts, TableDefinition sinkTable, boolean inferred,
      SinkProvider provider, ConnectorOptions options, Path checkpoint, OutputMode mode) {
  }

  private PreparedInsert prepare(SqlInsert insert) {
    if (insert.getTargetColumnList() != null && insert.getTargetColumnList().size() > 0) {
      throw FreshetException.user("INSERT INTO with a column list is not supported; select the columns in the "
          + "sink's order");
    }
    String sinkName = insert.getTargetTable().toString();
    TableDefinition sinkTable;
    try {
      sinkTable = session.catalog().get(sinkName);
    } catch (FreshetException e) {
      throw FreshetException.user("INSERT INTO at line " + insert.getTargetTable().getParserPosition().getLineNum()
          + ", column " + insert.getTargetTable().getParserPosition().getColumnNum() + ": " + e.getMessage());
    }
    if (!session.connectors().hasSink(sinkTable.connector())) {
      throw FreshetException.user("Cannot INSERT INTO " + sinkName + ": connector '" + sinkTable.connector()
          + "' is not a sink; sinks: " + String.join(", ", session.connectors().sinkNames()));
    }
    PlannedQuery plan = session.plan(insert.getSource());
    // A table declared without columns takes those of the first query written into it, as Spark's toTable.
    boolean inferred = sinkTable.schema() == null;
    if (inferred) {
      sinkTable = sinkTable.withSchema(plan.outputSchema());
    }
    var casts = QueryPlanner.castsTo(plan.outputSchema(), sinkTable.schema(), sinkName);
    boolean identity = true;
    for (int i = 0; i < casts.size(); i++) {
      identity &= casts.get(i) instanceof Expr.ColumnRef;
    }
    SinkProvider provider = session.connectors().sink(sinkTable.connector());
    ConnectorOptions options = new ConnectorOptions(sinkTable.connector(), sinkTable.name(),
        sinkTable.connectorOptions(), provider.options());
    RuntimeConfig conf = session.conf();
    return new PreparedInsert(plan, identity ? null : casts, sinkTable, inferred, provider, options,
        CheckpointLocations.of(conf.get(RuntimeConfig.CHECKPOINT_LOCATION), sinkTable.name()),
        sinkTable.outputMode() != null ? OutputMode.parse(sinkTable.outputMode()) : session.configuredMode());
  }

  private StatementResult insert(SqlInsert insert) {
    PreparedInsert p = prepare(insert);
    RuntimeConfig conf = session.conf();
    StreamExecution query = session.launcher().launch(p.plan(), p.casts(),
        QueryLauncher.SinkTarget.connector(session, p.provider(), p.options(), p.sinkTable().schema()),
        p.sinkTable().name(), p.checkpoint(), Trigger.parse(conf.get(RuntimeConfig.TRIGGER)), p.mode(),
        conf.get(RuntimeConfig.LATE_ROWS_TABLE));
    if (p.inferred()) {
      session.catalog().add(p.sinkTable(), true);
    }
    return new StatementResult.Started(query, p.sinkTable().name());
  }

  /**
   * EXPLAIN UPGRADE INSERT INTO ...: per stateful operator, what the INSERT would do with the state in its
   * checkpoint (kept, or refused and why), without starting it or writing anything.
   */
  private StatementResult explainUpgrade(SqlExplainUpgrade explain) {
    SqlInsert insert = explain.insert();
    if (insert == null) {
      throw FreshetException.user("EXPLAIN UPGRADE at " + FreshetParser.where(explain.getParserPosition())
          + " takes an INSERT INTO statement, whose sink names the checkpoint to check, e.g. EXPLAIN UPGRADE "
          + "INSERT INTO counts SELECT ...");
    }
    PreparedInsert p = prepare(insert);
    if (p.checkpoint() == null) {
      throw FreshetException.user("EXPLAIN UPGRADE needs the checkpoint root: no 'checkpoint-location' is set, so "
          + "INSERT INTO " + p.sinkTable().name() + " would start from nothing with a temporary checkpoint. SET "
          + "'checkpoint-location' = '<directory>' first");
    }
    StreamPlan plan = p.plan().plan(p.mode() != null ? p.mode() : p.plan().defaultMode(), p.casts());
    boolean pagesToDisk = StateBackend.named(session.conf().get(RuntimeConfig.STATE_STORE)).pagesToDisk();
    String text = QueryEvolution.format(QueryEvolution.explain(plan, p.checkpoint(), pagesToDisk), p.checkpoint());
    return new StatementResult.Text(text);
  }
}
