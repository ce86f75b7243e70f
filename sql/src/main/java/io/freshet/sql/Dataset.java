package io.freshet.sql;

import io.freshet.exec.engine.StreamExecution;
import io.freshet.exec.state.StateBackend;
import io.freshet.exec.types.RowSchema;
import io.freshet.exec.types.TypeKind;
import io.freshet.planner.PlannedQuery;
import io.freshet.planner.logical.Expression;
import io.freshet.planner.logical.Frame;
import io.freshet.sql.catalog.TableDefinition;
import io.freshet.streaming.FreshetException;
import io.freshet.streaming.OutputMode;
import io.freshet.streaming.Row;
import io.freshet.streaming.StreamingQuery;
import java.util.ArrayList;
import java.util.List;

/**
 * A query's result, as Spark's {@code Dataset<Row>}: planned but not running. A streaming Dataset is started
 * with {@link #writeStream()}; one over bounded inputs can also be collected. Results of SHOW, DESCRIBE and the
 * like are local Datasets that hold their rows.
 */
public final class Dataset {
  private final FreshetSession session;
  /** How the Java API built this Dataset's query; null for a local Dataset. */
  private final Frame frame;
  private final PlannedQuery plan;
  private final List<String> localColumns;
  private final List<Row> localRows;
  /** The types of a local Dataset's columns, when it was made from data (createDataFrame); else null. */
  private final RowSchema localSchema;
  /** The table a local Dataset's rows are put in when an operation queries them (null: a new name). */
  private final String localTable;
  /** The query over a local Dataset's rows, once an operation needed it. */
  private Dataset overRows;

  Dataset(FreshetSession session, Frame frame, PlannedQuery plan) {
    this.session = session;
    this.frame = frame;
    this.plan = plan;
    this.localColumns = null;
    this.localRows = null;
    this.localSchema = null;
    this.localTable = null;
  }

  private Dataset(FreshetSession session, List<String> columns, List<Row> rows, RowSchema schema, String table) {
    this.session = session;
    this.frame = null;
    this.plan = null;
    this.localColumns = columns;
    this.localRows = rows;
    this.localSchema = schema;
    this.localTable = table;
  }

  static Dataset local(FreshetSession session, List<String> columns, List<Row> rows) {
    return new Dataset(session, columns, rows, null, null);
  }

  static Dataset local(FreshetSession session, RowSchema schema, List<Row> rows) {
    return local(session, schema, rows, null);
  }

  /** A local Dataset of rows with {@code schema}, which operations query as table {@code table} (null: new name). */
  static Dataset local(FreshetSession session, RowSchema schema, List<Row> rows, String table) {
    return new Dataset(session, schema.names(), rows, schema, table);
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
    List<io.freshet.exec.types.Column> columns = new ArrayList<>();
    for (String c : localColumns) {
      columns.add(io.freshet.exec.types.Column.of(c, TypeKind.VARCHAR));
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
    return plan == null ? this : new Dataset(session, frame, plan.withRowKinds());
  }

  /**
   * The logical and physical plan, as the query runs with the session's state store (as SQL's EXPLAIN shows it: a
   * hopping window on the heap may keep slices).
   */
  public String explain() {
    return plan == null ? "LocalRelation" : plan.explain(null,
        StateBackend.named(session.conf().get(RuntimeConfig.STATE_STORE)).pagesToDisk());
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
  public io.freshet.spark.streaming.api.java.JavaDStream<Row> toDStream(
      io.freshet.spark.streaming.api.java.JavaStreamingContext ssc) {
    QueryReceiver receiver = new QueryReceiver(this);
    return ssc.receiverStream(receiver);
  }

  /** Runs the query while the receiver runs, storing each batch's rows. */
  private static final class QueryReceiver extends io.freshet.spark.streaming.receiver.Receiver<Row> {
    private final transient Dataset dataset;
    private transient volatile io.freshet.streaming.StreamingQuery query;

    QueryReceiver(Dataset dataset) {
      super(io.freshet.spark.storage.StorageLevel.MEMORY_ONLY);
      this.dataset = dataset;
    }

    @Override
    public void onStart() {
      query = dataset.writeStream().foreachBatch((rows, batchId) -> store(rows.collectAsList())).start();
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
    return plan == null ? localRows : new QueryRuns(session, plan).collect();
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
    return new QueryRuns(session, plan()).run(this, receiver);
  }

  /** The number of rows, as Spark's {@code count()}: of a local Dataset, or of a query over bounded inputs. */
  public long count() {
    if (plan == null) {
      return localRows.size();
    }
    if (isStreaming()) {
      throw FreshetException.user("count() needs bounded inputs, but '" + String.join(", ", plan.sourceNames())
          + "' is an unbounded stream; for a running count use groupBy().count() or select(count(\"*\")) and "
          + "writeStream()");
    }
    return collectAsList().size();
  }

  /** Whether there are no rows (of a local Dataset, or of a query over bounded inputs). */
  public boolean isEmpty() {
    return count() == 0;
  }

  // ---------------------------------------------------------------- operations, as Spark's

  /** This Dataset's query as the Java API built it; a local Dataset's rows are put in a table to query first. */
  Frame frame() {
    if (frame != null) {
      return frame;
    }
    synchronized (this) {
      if (overRows == null) {
        String table = localTable != null ? localTable : session.nextAnonymousName();
        session.registerLocalTable(table, schema(), localRows);
        overRows = session.table(table);
      }
      return overRows.frame;
    }
  }

  /**
   * The columns of the frame's result: the Dataset's, without the row kind that {@code SET 'changelog-mode'} shows
   * first (it is not a column the operations see).
   */
  private RowSchema frameSchema() {
    RowSchema all = schema();
    return plan != null && plan.rowKinds() ? new RowSchema(all.columns().subList(1, all.size())) : all;
  }

  /** A Dataset of {@code next}, planned now, so that a bad column or type is reported by the call that gave it. */
  Dataset derive(Frame next) {
    return session.dataset(next);
  }

  private static List<Expression> expressions(Column[] columns) {
    List<Expression> list = new ArrayList<>();
    for (Column c : columns) {
      list.add(c.expression());
    }
    return list;
  }

  private static Column[] columns(String first, String[] rest) {
    Column[] all = new Column[rest.length + 1];
    all[0] = functions.col(first);
    for (int i = 0; i < rest.length; i++) {
      all[i + 1] = functions.col(rest[i]);
    }
    return all;
  }

  /** The column {@code name} of this Dataset, which a join's condition tells from the other side's. */
  public Column col(String name) {
    return new Column(new Expression.DatasetRef(frame(), name));
  }

  /** Column {@code index} of this Dataset as it is, under the name the Java API gives it. */
  private Column column(int index) {
    return new Column(new Expression.Position(index, columns().get(index)));
  }

  public Column apply(String name) {
    return col(name);
  }

  /** The columns and expressions given, in that order ({@code col("*")} is every column). */
  public Dataset select(Column... columns) {
    return derive(new Frame.Select(frame(), expressions(columns)));
  }

  public Dataset select(String column, String... columns) {
    return select(columns(column, columns));
  }

  /** As {@link #select}, with SQL expressions: {@code selectExpr("auction", "price * 2 AS doubled")}. */
  public Dataset selectExpr(String... expressions) {
    Column[] columns = new Column[expressions.length];
    for (int i = 0; i < expressions.length; i++) {
      columns[i] = expressions[i].trim().equals("*") ? functions.col("*") : functions.expr(expressions[i]);
    }
    return select(columns);
  }

  /** The rows for which {@code condition} is true. */
  public Dataset filter(Column condition) {
    return derive(new Frame.Filter(frame(), condition.expression()));
  }

  /** As {@link #filter(Column)}, with a SQL condition: {@code filter("price > 100 AND auction <> 7")}. */
  public Dataset filter(String condition) {
    return filter(functions.expr(condition));
  }

  public Dataset where(Column condition) {
    return filter(condition);
  }

  public Dataset where(String condition) {
    return filter(condition);
  }

  /** Every column, with {@code name} replaced by (or, when there is none, followed by) {@code value}. */
  public Dataset withColumn(String name, Column value) {
    List<Column> all = new ArrayList<>();
    boolean replaced = false;
    List<String> columns = frameSchema().names();
    for (int i = 0; i < columns.size(); i++) {
      String c = columns.get(i);
      if (c.equalsIgnoreCase(name)) {
        all.add(value.as(name));
        replaced = true;
      } else {
        all.add(column(i));
      }
    }
    if (!replaced) {
      all.add(value.as(name));
    }
    return select(all.toArray(new Column[0]));
  }

  /** Every column, {@code existing} named {@code newName}. */
  public Dataset withColumnRenamed(String existing, String newName) {
    List<Column> all = new ArrayList<>();
    List<String> columns = frameSchema().names();
    for (int i = 0; i < columns.size(); i++) {
      all.add(columns.get(i).equalsIgnoreCase(existing) ? column(i).as(newName) : column(i));
    }
    return select(all.toArray(new Column[0]));
  }

  /** Every column but these. */
  public Dataset drop(String... names) {
    List<Column> kept = new ArrayList<>();
    List<String> columns = frameSchema().names();
    for (int i = 0; i < columns.size(); i++) {
      boolean dropped = false;
      for (String n : names) {
        dropped |= columns.get(i).equalsIgnoreCase(n);
      }
      if (!dropped) {
        kept.add(column(i));
      }
    }
    return select(kept.toArray(new Column[0]));
  }

  /** Groups by the keys for {@link RelationalGroupedDataset#agg} ({@code window(...)} may be one of them). */
  public RelationalGroupedDataset groupBy(Column... keys) {
    return new RelationalGroupedDataset(this, expressions(keys));
  }

  public RelationalGroupedDataset groupBy(String key, String... keys) {
    return groupBy(columns(key, keys));
  }

  /** Aggregates of all rows, without keys: {@code agg(max("price"))}. */
  public Dataset agg(Column aggregate, Column... aggregates) {
    return groupBy().agg(aggregate, aggregates);
  }

  /** The same rows, whose columns {@code col("alias.name")} names (to tell the sides of a join apart). */
  public Dataset as(String alias) {
    return derive(new Frame.Alias(frame(), alias));
  }

  public Dataset alias(String alias) {
    return as(alias);
  }

  /** The inner join on a column both sides have; the result has it once, then the other columns of each side. */
  public Dataset join(Dataset right, String usingColumn) {
    return join(right, List.of(usingColumn), "inner");
  }

  /**
   * The join on columns both sides have, of type {@code inner}, {@code left_outer}, {@code right_outer},
   * {@code full_outer}, {@code left_semi} or {@code left_anti} (Spark's names; {@code left}, {@code outer} and the
   * like too).
   */
  public Dataset join(Dataset right, List<String> usingColumns, String joinType) {
    return derive(new Frame.Join(frame(), right.frame(), null, usingColumns, JoinTypes.of(joinType)));
  }

  /** The inner join on a condition: {@code clicks.join(users, clicks.col("user").equalTo(users.col("id")))}. */
  public Dataset join(Dataset right, Column condition) {
    return join(right, condition, "inner");
  }

  public Dataset join(Dataset right, Column condition, String joinType) {
    return derive(new Frame.Join(frame(), right.frame(), condition.expression(), List.of(), JoinTypes.of(joinType)));
  }

  /** The rows of both, columns matched by position, duplicates kept (SQL's UNION ALL), as Spark's. */
  public Dataset union(Dataset other) {
    return derive(new Frame.Union(frame(), other.frame()));
  }

  public Dataset unionAll(Dataset other) {
    return union(other);
  }

  /**
   * Each row whose columns have not been seen before: the first by event time (as Flink's deduplication), so the
   * input needs a stream's event-time column; the result is append-only.
   */
  public Dataset dropDuplicates() {
    return derive(new Frame.DropDuplicates(frame(), List.of()));
  }

  /** The first row by event time of each value of these columns. */
  public Dataset dropDuplicates(String... columns) {
    return derive(new Frame.DropDuplicates(frame(), List.of(columns)));
  }

  /**
   * This Dataset with event time on {@code eventTime}, whose watermark trails the latest time seen by
   * {@code delayThreshold} ({@code "10 seconds"}), as Spark's: windows close and state is dropped as it passes.
   * The column must come from a stream as it is; the stream read here gets the watermark, in place of one it
   * declares (the stream of the catalog is not changed).
   */
  public Dataset withWatermark(String eventTime, String delayThreshold) {
    return Watermarks.apply(session, this, eventTime, delayThreshold);
  }

  /** The columns and their types, as Spark shows a Dataset: {@code [auction: bigint, price: bigint]}. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("[");
    for (var c : schema().columns()) {
      sb.append(sb.length() > 1 ? ", " : "").append(c.name()).append(": ")
          .append(c.type().sqlName().toLowerCase(java.util.Locale.ROOT));
    }
    return sb.append(']').toString();
  }

  /** Prints the columns and their types, as Spark's {@code printSchema()}. */
  public void printSchema() {
    StringBuilder sb = new StringBuilder("root\n");
    for (var c : schema().columns()) {
      sb.append(" |-- ").append(c.name()).append(": ").append(c.type().sqlName().toLowerCase(java.util.Locale.ROOT))
          .append(" (nullable = ").append(c.nullable()).append(")\n");
    }
    session.console().print(sb.toString());
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
   * Registers this Dataset under {@code name} for SQL, as Spark's: a stream as loaded ({@link
   * FreshetSession#readStream()} or {@code table(...)}) is registered as that stream under a new name; one made from
   * data with {@code createDataFrame} as a bounded table of its rows (replacing any table of that name); one built
   * with the Dataset operations as a view, which SQL reads as it reads the SQL that says the same (replacing a
   * view of that name). {@code SHOW VIEWS} lists it, {@code DROP VIEW} drops it.
   */
  public void createOrReplaceTempView(String name) {
    if (localSchema != null) {
      session.registerLocalTable(name, localSchema, localRows);
      return;
    }
    if (plan == null) {
      throw FreshetException.user("This result is not a query or data; it cannot be a view");
    }
    if (!(frame instanceof Frame.Table table) || !plan.isPlainScan()) {
      session.catalog().addView(io.freshet.sql.catalog.ViewDefinition.of(
          new io.freshet.planner.logical.DatasetView(name, frame(), frameSchema())), true);
      return;
    }
    TableDefinition source = session.catalog().get(table.name());
    session.catalog().add(new TableDefinition(name, source.kind(), source.connector(), source.options(),
        source.declaredColumns(), source.schema(), source.watermark(), source.bounded(), source.primaryKey()),
        true);
  }
}
