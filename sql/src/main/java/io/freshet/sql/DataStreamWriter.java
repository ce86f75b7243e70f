package io.freshet.sql;

import io.freshet.exec.connector.ConnectorOptions;
import io.freshet.exec.connector.SinkProvider;
import io.freshet.exec.engine.StreamExecution;
import io.freshet.sql.catalog.TableDefinition;
import io.freshet.sql.catalog.TableKind;
import io.freshet.streaming.FreshetException;
import io.freshet.streaming.OutputMode;
import io.freshet.streaming.StreamingQuery;
import io.freshet.streaming.Trigger;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;

/** Starts a streaming query from the Java API, as Spark's {@code df.writeStream()}. */
public final class DataStreamWriter {
  private final FreshetSession session;
  private final Dataset dataset;
  private String format = "console";
  private OutputMode outputMode;
  private Trigger trigger;
  private String queryName;
  private ForeachBatchFunction foreachBatch;
  /** The table written into, when it is not named by the query's name ({@link #toTable}). */
  private String table;
  private final Map<String, String> options = new LinkedHashMap<>();
  /** The file sink's partition columns, comma-separated ({@link #partitionBy}), or null. */
  private String partitionBy;

  DataStreamWriter(FreshetSession session, Dataset dataset) {
    this.session = session;
    this.dataset = dataset;
  }

  /** The sink connector: console, memory, ... */
  public DataStreamWriter format(String connector) {
    this.format = connector;
    return this;
  }

  public DataStreamWriter outputMode(String mode) {
    this.outputMode = OutputMode.parse(mode);
    return this;
  }

  public DataStreamWriter outputMode(OutputMode mode) {
    this.outputMode = mode;
    return this;
  }

  public DataStreamWriter trigger(Trigger trigger) {
    this.trigger = trigger;
    return this;
  }

  /** The query's name; for the memory sink, also the name of the table it fills. */
  public DataStreamWriter queryName(String name) {
    this.queryName = name;
    return this;
  }

  /** An option of the sink, or {@code checkpointLocation}. */
  public DataStreamWriter option(String key, String value) {
    options.put(key, value);
    return this;
  }

  public DataStreamWriter options(Map<String, String> values) {
    options.putAll(values);
    return this;
  }

  /**
   * Writes the rows into Hive-style subdirectories {@code col=value/} of the file sink's path, nested in the order
   * given, each file without those columns, as Spark's {@code partitionBy}: the file sink's option
   * {@code 'partition-by'}. Other sinks refuse it.
   */
  public DataStreamWriter partitionBy(String... columns) {
    this.partitionBy = String.join(",", columns);
    return this;
  }

  /**
   * Calls {@code function} with each micro-batch's output as a Dataset, and the batch id, instead of writing to a
   * sink connector, as Spark's {@code foreachBatch}.
   */
  public DataStreamWriter foreachBatch(ForeachBatchFunction function) {
    this.foreachBatch = function;
    return this;
  }

  /**
   * Starts the query writing into the table {@code name}, as Spark's {@code toTable}: a sink table of the catalog
   * ({@code CREATE TABLE ... WITH ('connector' = ...)}) is written through its connector and options (those given
   * here win); a name the catalog lacks becomes a memory table, which SQL reads. The query is named after the
   * table unless {@link #queryName} named it.
   */
  public StreamingQuery toTable(String name) {
    if (foreachBatch != null) {
      throw FreshetException.user("toTable writes into a table; a query with foreachBatch writes nowhere else: use "
          + "one or the other");
    }
    if (queryName == null) {
      queryName = name;
    }
    table = name;
    if (!session.catalog().contains(name)) {
      format = "memory";
      return start();
    }
    TableDefinition t = session.catalog().get(name);
    if (t.kind() == TableKind.STREAM) {
      throw FreshetException.user("toTable writes into a table, and " + t.name() + " is a stream (an input); create "
          + "a table to write into: CREATE TABLE name WITH ('connector' = 'memory' | 'file' | 'kafka' ...)");
    }
    format = t.connector();
    if (outputMode == null && t.outputMode() != null) {
      outputMode(t.outputMode());
    }
    Map<String, String> merged = new LinkedHashMap<>(t.connectorOptions());
    merged.putAll(options);
    options.clear();
    options.putAll(merged);
    return start();
  }

  public StreamingQuery start() {
    Map<String, String> sinkOptions = new LinkedHashMap<>(options);
    String checkpoint = sinkOptions.remove("checkpointLocation");
    String lateRows = sinkOptions.remove("lateRowsTable");
    if (partitionBy != null) {
      if (foreachBatch != null || !format.equalsIgnoreCase("file")) {
        throw FreshetException.user("partitionBy(" + partitionBy + ") writes into subdirectories of the file sink; "
            + (foreachBatch != null ? "foreachBatch" : "the " + format + " sink") + " has none. Use format(\"file\"), "
            + "or leave partitionBy out");
      }
      sinkOptions.put("partition-by", partitionBy);
    }
    if (lateRows == null) {
      lateRows = session.conf().get(RuntimeConfig.LATE_ROWS_TABLE);
    }
    Path location;
    if (checkpoint != null) {
      if (checkpoint.isBlank()) {
        throw FreshetException.user("Option 'checkpointLocation' is empty; give a directory, or leave it out for a "
            + "temporary checkpoint");
      }
      location = Path.of(checkpoint);
    } else {
      location = queryName == null ? null
          : CheckpointLocations.of(session.conf().get(RuntimeConfig.CHECKPOINT_LOCATION), queryName);
    }
    String configured = session.conf().get(RuntimeConfig.OUTPUT_MODE);
    OutputMode mode = outputMode != null ? outputMode : configured == null ? null : OutputMode.parse(configured);
    Trigger t = trigger != null ? trigger : Trigger.parse(session.conf().get(RuntimeConfig.TRIGGER));
    var plan = dataset.plan();
    QueryLauncher.SinkTarget target;
    if (foreachBatch != null) {
      ForeachBatchFunction function = foreachBatch;
      var schema = plan.outputSchema();
      // Operations on a batch's Dataset query its rows as one table per query, there while the function runs.
      String batchTable = session.nextAnonymousName() + "_batch";
      target = new QueryLauncher.SinkTarget("foreachBatch", EnumSet.allOf(OutputMode.class),
          (run, changelog, key) -> new CallbackSink((rows, id) -> {
            try {
              function.call(Dataset.local(session, schema, rows, batchTable), id);
            } finally {
              if (session.catalog().contains(batchTable)) {
                session.sql("DROP TABLE `" + batchTable + "`");
              }
            }
          }));
    } else {
      SinkProvider provider = session.connectors().sink(format);
      String table = this.table != null ? this.table : queryName;
      if (format.equalsIgnoreCase("memory")) {
        if (table == null) {
          throw FreshetException.user("The memory sink needs a queryName: it names the table that holds the result");
        }
        Map<String, String> tableOptions = new LinkedHashMap<>(sinkOptions);
        tableOptions.put("connector", "memory");
        session.catalog().add(new TableDefinition(table, TableKind.TABLE, "memory", tableOptions, null,
            plan.outputSchema(), null, true), true);
      }
      ConnectorOptions checked = new ConnectorOptions(format, table, sinkOptions, provider.options());
      provider.validate(checked, plan.outputSchema());
      target = QueryLauncher.SinkTarget.connector(session, provider, checked, plan.outputSchema());
    }
    StreamExecution query = session.launcher().launch(plan, null, target, queryName,
        location, t, mode, lateRows);
    return query;
  }
}
