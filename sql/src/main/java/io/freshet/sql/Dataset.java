package io.freshet.sql;

import io.freshet.exec.engine.StreamExecution;
import io.freshet.exec.types.Column;
import io.freshet.exec.types.RowSchema;
import io.freshet.exec.types.TypeKind;
import io.freshet.planner.PlannedQuery;
import io.freshet.sql.catalog.TableDefinition;
import io.freshet.streaming.FreshetException;
import io.freshet.streaming.OutputMode;
import io.freshet.streaming.Row;
import io.freshet.streaming.StreamingQuery;
import io.freshet.streaming.Trigger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A query's result, as Spark's {@code Dataset<Row>}: planned but not running. A streaming Dataset is started
 * with {@link #writeStream()}; one over bounded inputs can also be collected. Results of SHOW, DESCRIBE and the
 * like are local Datasets that hold their rows.
 */
public final class Dataset {
  private final FreshetSession session;
  private final PlannedQuery plan;
  private final List<String> localColumns;
  private final List<Row> localRows;
  /** The types of a local Dataset's columns, when it was made from data (createDataFrame); else null. */
  private final RowSchema localSchema;

  Dataset(FreshetSession session, PlannedQuery plan) {
    this.session = session;
    this.plan = plan;
    this.localColumns = null;
    this.localRows = null;
    this.localSchema = null;
  }

  private Dataset(FreshetSession session, List<String> columns, List<Row> rows, RowSchema schema) {
    this.session = session;
    this.plan = null;
    this.localColumns = columns;
    this.localRows = rows;
    this.localSchema = schema;
  }

  static Dataset local(FreshetSession session, List<String> columns, List<Row> rows) {
    return new Dataset(session, columns, rows, null);
  }

  static Dataset local(FreshetSession session, RowSchema schema, List<Row> rows) {
    List<String> names = new java.util.ArrayList<>();
    for (int i = 0; i < schema.size(); i++) {
      names.add(schema.column(i).name());
    }
    return new Dataset(session, names, rows, schema);
  }

  /** Whether reading this needs a streaming query: some input never ends. */
  public boolean isStreaming() {
    return plan != null && !plan.isBounded();
  }

  public RowSchema schema() {
    if (plan != null) {
      return plan.outputSchema();
    }
    if (localSchema != null) {
      return localSchema;
    }
    List<Column> columns = new ArrayList<>();
    for (String c : localColumns) {
      columns.add(Column.of(c, TypeKind.VARCHAR));
    }
    return new RowSchema(columns);
  }

  public List<String> columns() {
    return plan != null ? plan.outputSchema().names() : localColumns;
  }

  /**
   * The output mode a query of this starts in when nothing chooses one: the session's {@code output-mode}, else
   * append where its rows never change and update where they do (complete for a local result).
   */
  public OutputMode outputMode() {
    if (plan == null) {
      return OutputMode.COMPLETE;
    }
    String configured = session.conf().get(RuntimeConfig.OUTPUT_MODE);
    return configured != null ? OutputMode.parse(configured) : plan.defaultMode();
  }

  /**
   * This query with each result row's kind (+I, -U, +U, -D) in a first column {@code op}, as {@code SET
   * 'changelog-mode' = 'true'} plans it: the changes of an update mode result as rows, which a caller can apply to
   * the rows it shows. A local result is returned as it is.
   */
  public Dataset withRowKinds() {
    return plan == null ? this : new Dataset(session, plan.withRowKinds());
  }

  /** The logical and physical plan. */
  public String explain() {
    return plan == null ? "LocalRelation" : plan.explain();
  }

  PlannedQuery plan() {
    if (plan == null) {
      throw FreshetException.user("This result is not a query; it cannot be started");
    }
    return plan;
  }

  /**
   * This streaming query's result as a DStream of rows (the bridge from SQL to the DStream API): the query runs,
   * and the rows of each of its batches go into the DStream's next batch. The query starts at once and stops with
   * the context.
   */
  public io.freshet.exec.dstream.streaming.api.java.JavaDStream<Row> toDStream(
      io.freshet.exec.dstream.streaming.api.java.JavaStreamingContext ssc) {
    QueryReceiver receiver = new QueryReceiver(this);
    return ssc.receiverStream(receiver);
  }

  /** Runs the query while the receiver runs, storing each batch's rows. */
  private static final class QueryReceiver extends io.freshet.exec.dstream.streaming.receiver.Receiver<Row> {
    private final transient Dataset dataset;
    private transient volatile io.freshet.streaming.StreamingQuery query;

    QueryReceiver(Dataset dataset) {
      super(io.freshet.exec.dstream.storage.StorageLevel.MEMORY_ONLY);
      this.dataset = dataset;
    }

    @Override
    public void onStart() {
      query = dataset.writeStream().foreachBatch((rows, batchId) -> store(rows)).start();
    }

    @Override
    public void onStop() {
      if (query != null) {
        query.stop();
      }
    }
  }

  public DataStreamWriter writeStream() {
    return new DataStreamWriter(session, this);
  }

  /**
   * Runs the query over its bounded inputs to the end and returns every row. A streaming Dataset cannot be
   * collected: start it with {@link #writeStream()}.
   */
  public List<Row> collectAsList() {
    if (plan == null) {
      return localRows;
    }
    if (isStreaming()) {
      throw FreshetException.user("collectAsList() needs bounded inputs, but '"
          + String.join(", ", plan.sourceNames()) + "' is an unbounded stream; use writeStream() to run a streaming "
          + "query");
    }
    // Append gives each final row once. A result that changes is kept in a memory table in update mode, which
    // holds the result as it stands: what it holds at the end is the answer. With ORDER BY or LIMIT it is kept
    // in complete mode, sorted and limited whole after each batch, so that the last batch's result is the answer.
    OutputMode mode = plan.defaultMode();
    if (mode != OutputMode.APPEND) {
      return collectChanging();
    }
    List<Row> rows = Collections.synchronizedList(new ArrayList<>());
    StreamExecution query = session.launcher().launch(plan, null,
        new QueryLauncher.SinkTarget("collect", java.util.EnumSet.allOf(OutputMode.class),
            (run, changelog, key) -> new CallbackSink((batch, id) -> rows.addAll(batch))),
        null, null, Trigger.ProcessingTime(0), mode);
    query.awaitTermination();
    return new ArrayList<>(rows);
  }

  private List<Row> collectChanging() {
    String table = changingTable();
    try {
      launchChanging(table).awaitTermination();
      return session.memoryTableRows(table);
    } finally {
      session.resources().close(io.freshet.exec.memory.MemoryTable.resourceKey(table));
    }
  }

  private static String changingTable() {
    return "collect_" + java.util.UUID.randomUUID().toString().replace("-", "");
  }

  /**
   * Starts a bounded query whose result changes into memory table {@code table}: in update mode, which holds the
   * result as it stands, or, with ORDER BY or LIMIT, in complete mode, sorted and limited whole after each batch.
   */
  private StreamExecution launchChanging(String table) {
    var provider = session.connectors().sink("memory");
    var options = new io.freshet.exec.connector.ConnectorOptions("memory", table, java.util.Map.of(),
        provider.options());
    return session.launcher().launch(plan, null, QueryLauncher.SinkTarget.connector(session, provider, options,
        plan.outputSchema()), null, null, Trigger.ProcessingTime(0),
        plan.sortsOrLimits() ? OutputMode.COMPLETE : OutputMode.UPDATE);
  }

  /**
   * Starts the query and hands its result to {@code receiver} while it runs, for a caller that reads rows as they
   * come (the JDBC driver). Over bounded inputs the receiver gets the answer {@link #collectAsList()} would give:
   * in append mode each batch's rows as the batch commits, otherwise the whole answer once the query ends. Over an
   * unbounded stream it gets each batch's rows as {@code writeStream().foreachBatch} does (in update mode, the
   * rows that changed), until the query is stopped. Then {@link ResultReceiver#end} is called, on a thread of its
   * own. Returns the running query: stopping it ends the result.
   */
  public StreamingQuery run(ResultReceiver receiver) {
    PlannedQuery p = plan();
    StreamingQuery query;
    String table = null;
    if (isStreaming()) {
      query = writeStream().foreachBatch((rows, id) -> receiver.rows(rows)).start();
    } else if (p.defaultMode() == OutputMode.APPEND) {
      query = session.launcher().launch(p, null,
          new QueryLauncher.SinkTarget("collect", java.util.EnumSet.allOf(OutputMode.class),
              (run, changelog, key) -> new CallbackSink((batch, id) -> receiver.rows(batch))),
          null, null, Trigger.ProcessingTime(0), OutputMode.APPEND);
    } else {
      table = changingTable();
      query = launchChanging(table);
    }
    String answer = table;
    session.startResultWatcher(() -> awaitEnd(query, answer, receiver));
    return query;
  }

  /** Waits for the query to end, hands a changing bounded query's answer to the receiver, then tells it the end. */
  private void awaitEnd(StreamingQuery query, String answerTable, ResultReceiver receiver) {
    Throwable error = null;
    try {
      query.awaitTermination();
      if (answerTable != null) {
        receiver.rows(session.memoryTableRows(answerTable));
      }
    } catch (Exception e) {
      error = e;
    } finally {
      if (answerTable != null) {
        session.resources().close(io.freshet.exec.memory.MemoryTable.resourceKey(answerTable));
      }
    }
    receiver.end(error);
  }

  /** Prints up to 20 rows as a table, as Spark's {@code show()}. */
  public void show() {
    show(20);
  }

  public void show(int numRows) {
    List<Row> rows = collectAsList();
    session.console().print(io.freshet.exec.batch.TableText.format(columns(), rows.subList(0, Math.min(numRows,
        rows.size())), true));
    if (rows.size() > numRows) {
      session.console().println("only showing top " + numRows + " rows");
    }
  }

  /**
   * Registers this Dataset under {@code name} for SQL. Works for a Dataset that reads a stream as it is (from
   * {@link FreshetSession#readStream()} or {@code table(...)}), and for one made from data with
   * {@code createDataFrame} (a bounded table of its rows, replacing any table of that name).
   */
  public void createOrReplaceTempView(String name) {
    if (localSchema != null) {
      session.registerLocalTable(name, localSchema, localRows);
      return;
    }
    if (plan == null || !plan.isPlainScan()) {
      throw FreshetException.user("createOrReplaceTempView works on a stream as loaded (readStream()...load()); "
          + "for a query, write it in SQL over the stream instead");
    }
    TableDefinition source = session.catalog().get(plan.sourceNames().get(0));
    session.catalog().add(new TableDefinition(name, source.kind(), source.connector(), source.options(),
        source.declaredColumns(), source.schema(), source.watermark(), source.bounded(), source.primaryKey()),
        true);
  }
}
