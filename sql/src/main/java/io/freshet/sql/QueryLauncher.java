package io.freshet.sql;

import io.freshet.exec.connector.ConnectorContext;
import io.freshet.exec.connector.ConnectorOptions;
import io.freshet.exec.connector.Sink;
import io.freshet.exec.connector.SinkProvider;
import io.freshet.exec.connector.SourceProvider;
import io.freshet.exec.engine.QueryDefinition;
import io.freshet.exec.engine.RunContext;
import io.freshet.exec.engine.StreamExecution;
import io.freshet.exec.expr.Expr;
import io.freshet.exec.operator.CalcOperator;
import io.freshet.exec.operator.Operator;
import io.freshet.exec.types.RowSchema;
import io.freshet.planner.PhysicalStep;
import io.freshet.planner.PlannedQuery;
import io.freshet.sql.catalog.TableDefinition;
import io.freshet.streaming.FreshetException;
import io.freshet.streaming.OutputMode;
import io.freshet.streaming.Trigger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/** Turns a planned query and a sink into a running {@link StreamExecution}. */
final class QueryLauncher {

  /** Where a query writes: a connector or a callback, with the modes it takes. */
  record SinkTarget(String description, Set<OutputMode> modes, Function<RunContext, Sink> factory) {

    static SinkTarget connector(FreshetSession session, SinkProvider provider, ConnectorOptions options,
        RowSchema schema) {
      return new SinkTarget(provider.name(), provider.supportedModes(), run -> provider.create(
          new ConnectorContext(options, schema, run.childAllocator("sink-" + provider.name()), session.resources(),
              session.console(),
              run.queryId().toString(), run.connectorDirectory("sinks", provider.name()))));
    }
  }

  private final FreshetSession session;

  QueryLauncher(FreshetSession session) {
    this.session = session;
  }

  /**
   * Starts {@code plan} writing to {@code sink}. {@code mode} null picks the plan's default (append where its
   * rows never change, otherwise update); a mode the plan or the sink cannot give is refused here, before the
   * query starts.
   */
  StreamExecution launch(PlannedQuery plan, List<Expr> outputCasts, SinkTarget sink, String name, Path checkpoint,
      Trigger trigger, OutputMode requested) {
    return launch(plan, outputCasts, sink, name, checkpoint, trigger, requested, null);
  }

  /** As above; rows dropped as late go to the memory table {@code lateRowsTable} when it is not null. */
  StreamExecution launch(PlannedQuery plan, List<Expr> outputCasts, SinkTarget sink, String name, Path checkpoint,
      Trigger trigger, OutputMode requested, String lateRowsTable) {
    OutputMode mode = requested != null ? requested : plan.defaultMode();
    List<PhysicalStep> planned = plan.steps(mode);
    boolean rocksDb = "rocksdb".equalsIgnoreCase(session.conf().get(RuntimeConfig.STATE_STORE));
    List<PhysicalStep> steps = planned.stream().map(s -> rocksDb && s instanceof PhysicalStep.Aggregate a
        ? a.inRocksDb() : s).toList();
    if (!sink.modes().contains(mode)) {
      throw FreshetException.user("The " + sink.description() + " sink does not support " + mode
          + " output mode; it supports " + sink.modes());
    }
    TableDefinition table = session.catalog().get(plan.source().name());
    SourceProvider provider = session.connectors().source(table.connector());
    ConnectorOptions options = new ConnectorOptions(table.connector(), table.name(), table.connectorOptions(),
        provider.options());
    QueryDefinition.SourceBinding source = new QueryDefinition.SourceBinding(table.name(),
        run -> provider.create(new ConnectorContext(options, table.declaredColumns(),
            run.childAllocator("source-" + table.name()),
            session.resources(), session.console(), run.queryId().toString(),
            run.connectorDirectory("sources", table.name()))), plan.watermark(),
        table.idleTimeoutMs());
    CalcOperator.Spec casts = outputCasts == null ? null
        : new CalcOperator.Spec(null, outputCasts, castSchema(plan.outputSchema(), outputCasts));
    Function<RunContext, List<Operator>> pipeline = run -> {
      List<Operator> operators = new ArrayList<>(PhysicalStep.createAll(steps, run::childAllocator,
          lateRowsTable == null ? null : run::addLateRows));
      if (casts != null) {
        operators.add(casts.create(run.childAllocator("operator-" + operators.size() + "-cast")));
      }
      return operators;
    };
    Function<RunContext, Sink> lateSink = lateRowsTable == null ? null : lateRowsSink(plan, lateRowsTable);
    QueryDefinition definition = new QueryDefinition(name, checkpoint, trigger, mode, List.of(source), pipeline,
        sink.factory(), sink.description(), lateSink, null);
    return StreamExecution.start(definition, session.allocator(), session::queryStarted, session::queryEnded);
  }

  /** A memory table named {@code table}, with the schema of the rows the plan drops as late, and its sink. */
  private Function<RunContext, Sink> lateRowsSink(PlannedQuery plan, String table) {
    RowSchema schema = plan.lateRowSchema();
    if (schema == null) {
      throw FreshetException.user("A late-rows table ('" + table + "') was named, but this query has no event-time "
          + "window, so it never drops late rows");
    }
    java.util.Map<String, String> options = new java.util.LinkedHashMap<>();
    options.put("connector", "memory");
    session.catalog().add(new TableDefinition(table, io.freshet.sql.ddl.Statement.Kind.TABLE, "memory", options,
        null, schema, null, true), true);
    SinkProvider provider = session.connectors().sink("memory");
    return SinkTarget.connector(session, provider, new ConnectorOptions("memory", table, java.util.Map.of(),
        provider.options()), schema).factory();
  }

  private static RowSchema castSchema(RowSchema from, List<Expr> casts) {
    List<io.freshet.exec.types.Column> columns = new ArrayList<>();
    for (int i = 0; i < casts.size(); i++) {
      columns.add(new io.freshet.exec.types.Column(from.column(i).name(), casts.get(i).type(), true));
    }
    return new RowSchema(columns);
  }
}
