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
import io.freshet.exec.state.StateBackend;
import io.freshet.exec.plan.ChangelogMode;
import io.freshet.exec.plan.SourceSpec;
import io.freshet.exec.plan.StreamPlan;
import io.freshet.exec.types.RowSchema;
import io.freshet.planner.DeepStack;
import io.freshet.planner.PlannedQuery;
import io.freshet.sql.catalog.TableDefinition;
import io.freshet.sql.catalog.TableKind;
import io.freshet.streaming.FreshetException;
import io.freshet.streaming.OutputMode;
import io.freshet.streaming.Trigger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Starts a planned query: picks its output mode, binds each source of its plan to the connector of that catalog
 * entry and hands the plan, the sources and the sink to a new {@link StreamExecution}.
 */
final class QueryLauncher {

  /**
   * Makes a query's sink for a run, given whether the result is a changelog and the columns that identify a result
   * row (null: none).
   */
  interface SinkFactory {
    Sink create(RunContext run, boolean changelog, int[] resultKey);
  }

  /** Where a query writes: a connector or a callback, with the modes it takes. */
  record SinkTarget(String description, Set<OutputMode> modes, SinkFactory factory) {

    static SinkTarget connector(FreshetSession session, SinkProvider provider, ConnectorOptions options,
        RowSchema schema) {
      return new SinkTarget(provider.name(), provider.supportedModes(), (run, changelog, key) -> provider.create(
          new ConnectorContext(options, schema, run.childAllocator("sink-" + provider.name()),
              session.resources().shared(), session.console(), run.queryId().toString(),
              run.connectorDirectory("sinks", provider.name()), changelog, key)));
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
    StreamPlan streamPlan = StaticTables.bind(plan.plan(mode, outputCasts), session);
    for (String warning : plan.warnings()) {
      session.notices().println("[WARN] " + Character.toUpperCase(warning.charAt(0)) + warning.substring(1));
    }
    if (!sink.modes().contains(mode)) {
      throw FreshetException.user("The " + sink.description() + " sink does not support " + mode
          + " output mode; it supports " + sink.modes());
    }
    List<QueryDefinition.SourceBinding> sources = new ArrayList<>();
    for (SourceSpec spec : streamPlan.sources()) {
      sources.add(sourceBinding(session.catalog().get(spec.name())));
    }
    StateBackend stateStore = StateBackend.named(session.conf().get(RuntimeConfig.STATE_STORE));
    Function<RunContext, Sink> lateSink = lateRowsTable == null ? null : lateRowsSink(plan, lateRowsTable);
    String setting = session.conf().get(RuntimeConfig.PARALLELISM);
    int parallelism = setting != null ? RuntimeConfig.parallelism(setting) : session.parallelism();
    int[] resultKey = streamPlan.upsertKey();
    boolean changelog = streamPlan.changelogMode() == ChangelogMode.RETRACT;
    String idle = session.conf().get(RuntimeConfig.IDLE_PROGRESS_INTERVAL);
    QueryDefinition definition = new QueryDefinition(name, checkpoint, trigger, mode, streamPlan, sources,
        run -> sink.factory().create(run, changelog, resultKey), sink.description(), lateSink, stateStore, parallelism,
        session.clock(),
        null, idle == null ? QueryDefinition.DEFAULT_IDLE_PROGRESS_INTERVAL_MS : RuntimeConfig.durationMs(idle));
    // On a deep stack: the start compares the plan's fingerprints, which describe expressions nested thousands deep.
    return DeepStack.call(() -> StreamExecution.start(definition, session.resources().allocator(),
        session.queries()::started, session.queries()::ended, null, session.queries().events()));
  }

  /** Opens the connector of {@code table} with the run's resources. */
  private QueryDefinition.SourceBinding sourceBinding(TableDefinition table) {
    SourceProvider provider = session.connectors().source(table.connector());
    ConnectorOptions options = new ConnectorOptions(table.connector(), table.name(), table.connectorOptions(),
        provider.options());
    return new QueryDefinition.SourceBinding(table.name(), run -> provider.create(new ConnectorContext(options,
        table.declaredColumns(), run.childAllocator("source-" + table.name()), session.resources().shared(),
        session.console(), run.queryId().toString(), run.connectorDirectory("sources", table.name()))));
  }

  /** A memory table named {@code table}, with the schema of the rows the plan drops as late, and its sink. */
  private Function<RunContext, Sink> lateRowsSink(PlannedQuery plan, String table) {
    RowSchema schema = plan.lateRowSchema();
    if (schema == null) {
      throw FreshetException.user("A late-rows table ('" + table + "') was named, but this query has no event-time "
          + "window, so it never drops late rows");
    }
    Map<String, String> options = new LinkedHashMap<>();
    options.put("connector", "memory");
    session.catalog().add(new TableDefinition(table, TableKind.TABLE, "memory", options,
        null, schema, null, true), true);
    SinkProvider provider = session.connectors().sink("memory");
    SinkTarget target = SinkTarget.connector(session, provider, new ConnectorOptions("memory", table, Map.of(),
        provider.options()), schema);
    return run -> target.factory().create(run, false, null);
  }
}
