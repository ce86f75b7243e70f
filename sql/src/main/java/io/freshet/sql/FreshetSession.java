package io.freshet.sql;

import io.freshet.exec.connector.ConnectorOptions;
import io.freshet.exec.connector.ConnectorRegistry;
import io.freshet.exec.connector.SchemaCheck;
import io.freshet.exec.connector.SharedResources;
import io.freshet.exec.connector.SinkProvider;
import io.freshet.exec.connector.SourceProvider;
import io.freshet.exec.engine.StreamExecution;
import io.freshet.exec.memory.MemoryStream;
import io.freshet.exec.memory.MemoryTable;
import io.freshet.exec.types.Column;
import io.freshet.exec.types.RowSchema;
import io.freshet.planner.PlannedQuery;
import io.freshet.planner.QueryPlanner;
import io.freshet.planner.SqlParsers;
import io.freshet.sql.catalog.Catalog;
import io.freshet.sql.catalog.TableDefinition;
import io.freshet.sql.ddl.ScriptSplitter;
import io.freshet.sql.ddl.Statement;
import io.freshet.sql.ddl.StatementParser;
import io.freshet.streaming.FreshetException;
import io.freshet.streaming.OutputMode;
import io.freshet.streaming.Row;
import io.freshet.streaming.StreamingQuery;
import io.freshet.streaming.Trigger;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.calcite.sql.SqlInsert;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOrderBy;

/**
 * The entry point, shaped like Spark's {@code SparkSession}: SQL statements, {@link #readStream()}, the catalog
 * of streams and tables, the running queries, and the memory every query allocates from. Close it to stop its
 * queries and free its memory; closing fails if any Arrow buffer leaked.
 */
public final class FreshetSession implements AutoCloseable {
  private static FreshetSession active;

  private final String appName;
  private final int parallelism;
  private final BufferAllocator allocator;
  private final BufferAllocator resourceAllocator;
  private final SharedResources resources;
  private final ConnectorRegistry connectors = ConnectorRegistry.load();
  private final Catalog catalog = new Catalog();
  private final RuntimeConfig conf = new RuntimeConfig();
  private final PrintStream console;
  private final List<StreamExecution> queries = new CopyOnWriteArrayList<>();
  private final StreamingQueryManager manager = new StreamingQueryManager(queries);
  private int anonymousStreams;
  private boolean closed;

  private FreshetSession(Builder builder) {
    this.appName = builder.appName;
    this.parallelism = builder.parallelism;
    this.allocator = new RootAllocator(builder.memoryLimit);
    this.resourceAllocator = allocator.newChildAllocator("session-data", 0, builder.memoryLimit);
    this.resources = new SharedResources(resourceAllocator);
    this.console = builder.console;
    builder.config.forEach(conf::set);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builds a session, as {@code SparkSession.builder()}. */
  public static final class Builder {
    private String appName = "freshet";
    private int parallelism = Runtime.getRuntime().availableProcessors();
    private long memoryLimit = Long.MAX_VALUE;
    private PrintStream console = System.out;
    private final Map<String, String> config = new java.util.LinkedHashMap<>();

    /** {@code local}, {@code local[N]} or {@code local[*]}: how many partitions stateful work uses. */
    public Builder master(String master) {
      Matcher m = Pattern.compile("local(?:\\[(\\*|\\d+)])?").matcher(master.trim());
      if (!m.matches()) {
        throw FreshetException.user("Unknown master '" + master + "'; Freshet runs in-process: use local, local[N] "
            + "or local[*]");
      }
      String n = m.group(1);
      parallelism = n == null ? 1 : n.equals("*") ? Runtime.getRuntime().availableProcessors() : Integer.parseInt(n);
      return this;
    }

    public Builder appName(String name) {
      this.appName = name;
      return this;
    }

    public Builder config(String key, String value) {
      config.put(key, value);
      return this;
    }

    /** The most bytes of Arrow memory all queries together may hold. */
    public Builder memoryLimit(long bytes) {
      this.memoryLimit = bytes;
      return this;
    }

    /** Where the console sink prints (standard output by default). */
    public Builder console(PrintStream out) {
      this.console = out;
      return this;
    }

    /** The active session, or a new one made active. */
    public FreshetSession getOrCreate() {
      synchronized (FreshetSession.class) {
        if (active == null || active.closed) {
          active = new FreshetSession(this);
        }
        return active;
      }
    }

    /** A new session, independent of the active one (for tests and embedding several engines). */
    public FreshetSession create() {
      return new FreshetSession(this);
    }
  }

  // ---------------------------------------------------------------- SQL

  /** Runs one statement. DDL and SET take effect at once; a SELECT gives a Dataset to run; INSERT starts a query. */
  public Dataset sql(String statement) {
    List<ScriptSplitter.Piece> pieces = ScriptSplitter.split(statement);
    if (pieces.size() != 1) {
      throw FreshetException.user("sql() takes one statement, got " + pieces.size());
    }
    StatementResult result = execute(pieces.get(0).text(), pieces.get(0).line(), pieces.get(0).column());
    if (result instanceof StatementResult.Query q) {
      return q.dataset();
    }
    if (result instanceof StatementResult.Table t) {
      return Dataset.local(this, t.columns(), t.rows());
    }
    if (result instanceof StatementResult.Started s) {
      return Dataset.local(this, List.of("query", "id"), List.of(Row.of(s.query().name(), s.query().id().toString())));
    }
    return Dataset.local(this, List.of("result"), List.of(Row.of(((StatementResult.Message) result).text())));
  }

  /** Runs one statement (no trailing semicolon) that starts at {@code line}:{@code column} of its script. */
  public StatementResult execute(String text, int line, int column) {
    checkOpen();
    Statement statement = StatementParser.parse(text, line, column);
    if (statement instanceof Statement.CreateTable c) {
      return create(c);
    }
    if (statement instanceof Statement.DropTable d) {
      return drop(d);
    }
    if (statement instanceof Statement.Show s) {
      return show(s);
    }
    if (statement instanceof Statement.Describe d) {
      return describe(catalog.get(d.name()));
    }
    if (statement instanceof Statement.Set s) {
      if (s.key() == null) {
        List<Row> rows = new ArrayList<>();
        conf.all().forEach((k, v) -> rows.add(Row.of(k, v)));
        return new StatementResult.Table(List.of("key", "value"), rows);
      }
      conf.set(s.key(), s.value());
      return new StatementResult.Message("Set '" + s.key() + "' = '" + s.value() + "'");
    }
    if (statement instanceof Statement.Reset r) {
      if (r.key() == null) {
        conf.reset();
      } else {
        conf.unset(r.key());
      }
      return new StatementResult.Message("Reset " + (r.key() == null ? "all settings" : "'" + r.key() + "'"));
    }
    if (statement instanceof Statement.Explain e) {
      SqlNode node = SqlParsers.parseStatement(SqlParsers.positioned(e.query().sql(), e.query().line(),
          e.query().column()));
      PlannedQuery plan = plan(node instanceof SqlInsert insert ? insert.getSource() : node);
      List<Row> rows = new ArrayList<>();
      for (String l : plan.explain(configuredMode()).split("\n")) {
        rows.add(Row.of(l));
      }
      return new StatementResult.Table(List.of("plan"), rows);
    }
    Statement.Query q = (Statement.Query) statement;
    SqlNode node = SqlParsers.parseStatement(SqlParsers.positioned(q.sql(), q.line(), q.column()));
    if (node instanceof SqlInsert insert) {
      return insert(insert);
    }
    if (!node.getKind().belongsTo(org.apache.calcite.sql.SqlKind.QUERY) && !(node instanceof SqlOrderBy)) {
      throw FreshetException.user("Unsupported statement " + node.getKind() + " at line " + q.line()
          + "; Freshet runs SELECT, INSERT INTO, CREATE/DROP STREAM|TABLE, SHOW, DESCRIBE, SET, RESET, EXPLAIN");
    }
    return new StatementResult.Query(new Dataset(this, plan(node)));
  }

  /** The output mode set with {@code SET 'output-mode'}, or null to let each query take its default. */
  OutputMode configuredMode() {
    String mode = conf.get(RuntimeConfig.OUTPUT_MODE);
    return mode == null ? null : OutputMode.parse(mode);
  }

  PlannedQuery plan(SqlNode query) {
    return new QueryPlanner(catalog.plannerTables()).plan(query);
  }

  private StatementResult create(Statement.CreateTable c) {
    if (c.ifNotExists() && catalog.contains(c.name())) {
      return new StatementResult.Message("Exists already: " + c.name());
    }
    String connector = null;
    for (var e : c.options().entrySet()) {
      if (e.getKey().equalsIgnoreCase("connector")) {
        connector = e.getValue();
      }
    }
    if (connector == null) {
      throw FreshetException.user("SQL error at " + c.position() + ": " + c.name()
          + " needs a connector: add WITH ('connector' = '...'); available sources: nexmark, rate, memory; "
          + "sinks: console, memory");
    }
    RowSchema declared = c.columns() == null ? null : new RowSchema(c.columns());
    TableDefinition definition;
    try {
      definition = define(c.name(), c.kind(), connector, c.options(), declared, c.watermark());
      definition.idleTimeoutMs();
      if (definition.outputMode() != null) {
        OutputMode.parse(definition.outputMode());
      }
    } catch (FreshetException e) {
      throw new FreshetException(e.kind(), "In " + c.kind().name() + " " + c.name() + " (" + c.position() + "): "
          + e.getMessage(), e);
    }
    catalog.add(definition, c.orReplace());
    return new StatementResult.Message("Created " + c.kind().name().toLowerCase() + " " + c.name());
  }

  /** Checks a definition against its connector and adds nothing; the caller adds it to the catalog. */
  TableDefinition define(String name, Statement.Kind kind, String connector, Map<String, String> options,
      RowSchema declared, Statement.Watermark watermark) {
    Map<String, String> connectorOptions = new java.util.LinkedHashMap<>(options);
    connectorOptions.keySet().removeIf(k -> k.equalsIgnoreCase("connector"));
    boolean isSource = connectors.hasSource(connector);
    boolean isSink = connectors.hasSink(connector);
    if (!isSource && !isSink) {
      connectors.source(connector);
    }
    RowSchema schema = declared;
    boolean bounded = false;
    if (kind == Statement.Kind.STREAM || !isSink) {
      SourceProvider provider = connectors.source(connector);
      ConnectorOptions checked = new ConnectorOptions(connector, name, connectorOptions, provider.options());
      RowSchema own = provider.defaultSchema(checked);
      if (own == null && declared == null) {
        throw FreshetException.user("Connector '" + connector + "' has no schema of its own; declare the columns");
      }
      schema = own == null ? declared : SchemaCheck.declaredOrOwn(declared, own, name, "connector '" + connector + "'");
      bounded = provider.isBounded(checked);
    } else {
      SinkProvider provider = connectors.sink(connector);
      new ConnectorOptions(connector, name, connectorOptions, provider.options());
      bounded = true;
    }
    return new TableDefinition(name, kind, connector, options, declared, schema, watermark, bounded);
  }

  private StatementResult drop(Statement.DropTable d) {
    if (!catalog.contains(d.name())) {
      if (d.ifExists()) {
        return new StatementResult.Message("No " + d.name() + " to drop");
      }
      catalog.get(d.name());
    }
    TableDefinition t = catalog.get(d.name());
    for (StreamExecution q : queries) {
      boolean reads = q.definition().sources().stream().anyMatch(b -> b.name().equalsIgnoreCase(t.name()));
      if (reads || t.name().equalsIgnoreCase(q.name())) {
        throw FreshetException.user("Cannot drop " + t.name() + ": running query " + q.name() + " [id = " + q.id()
            + "] uses it; stop the query first");
      }
    }
    if (t.kind() != d.kind()) {
      throw FreshetException.user("'" + t.name() + "' is a " + t.kind().name().toLowerCase() + "; use DROP "
          + t.kind().name() + " " + t.name());
    }
    catalog.remove(d.name());
    Object resource = resources.remove(MemoryStream.resourceKey(t.name()));
    if (resource instanceof AutoCloseable c) {
      closeQuietly(c);
    }
    resource = resources.remove(MemoryTable.resourceKey(t.name()));
    if (resource instanceof AutoCloseable c) {
      closeQuietly(c);
    }
    return new StatementResult.Message("Dropped " + d.kind().name().toLowerCase() + " " + d.name());
  }

  private StatementResult show(Statement.Show s) {
    if (s.what().equals("QUERIES")) {
      List<Row> rows = new ArrayList<>();
      for (StreamingQuery q : manager.active()) {
        rows.add(Row.of(q.name(), q.id().toString(), q.status().message()));
      }
      return new StatementResult.Table(List.of("name", "id", "status"), rows);
    }
    List<Row> rows = new ArrayList<>();
    for (TableDefinition t : catalog.all()) {
      boolean stream = t.kind() == Statement.Kind.STREAM;
      if (stream == s.what().equals("STREAMS")) {
        rows.add(Row.of(t.name(), t.connector(), t.bounded() ? "bounded" : "unbounded"));
      }
    }
    return new StatementResult.Table(List.of(s.what().equals("STREAMS") ? "stream" : "table", "connector", "input"),
        rows);
  }

  private StatementResult describe(TableDefinition t) {
    List<Row> rows = new ArrayList<>();
    for (Column c : t.schema().columns()) {
      String watermark = t.watermark() != null && t.watermark().column().equalsIgnoreCase(c.name())
          ? t.watermark().expression() : null;
      rows.add(Row.of(c.name(), c.type().sqlName(), c.nullable(), watermark));
    }
    return new StatementResult.Table(List.of("column", "type", "nullable", "watermark"), rows);
  }

  private StatementResult insert(SqlInsert insert) {
    if (insert.getTargetColumnList() != null && insert.getTargetColumnList().size() > 0) {
      throw FreshetException.user("INSERT INTO with a column list is not supported; select the columns in the "
          + "sink's order");
    }
    String sinkName = insert.getTargetTable().toString();
    TableDefinition sinkTable;
    try {
      sinkTable = catalog.get(sinkName);
    } catch (FreshetException e) {
      throw FreshetException.user("INSERT INTO at line " + insert.getTargetTable().getParserPosition().getLineNum()
          + ", column " + insert.getTargetTable().getParserPosition().getColumnNum() + ": " + e.getMessage());
    }
    if (!connectors.hasSink(sinkTable.connector())) {
      throw FreshetException.user("Cannot INSERT INTO " + sinkName + ": connector '" + sinkTable.connector()
          + "' is not a sink");
    }
    PlannedQuery plan = plan(insert.getSource());
    var casts = QueryPlanner.castsTo(plan.outputSchema(), sinkTable.schema(), sinkName);
    boolean identity = true;
    for (int i = 0; i < casts.size(); i++) {
      identity &= casts.get(i) instanceof io.freshet.exec.expr.Expr.ColumnRef;
    }
    SinkProvider provider = connectors.sink(sinkTable.connector());
    ConnectorOptions options = new ConnectorOptions(sinkTable.connector(), sinkTable.name(),
        sinkTable.connectorOptions(), provider.options());
    String root = conf.get(RuntimeConfig.CHECKPOINT_LOCATION);
    Path checkpoint = root == null ? null : Path.of(root).resolve(sinkTable.name());
    StreamExecution query = launcher().launch(plan, identity ? null : casts,
        QueryLauncher.SinkTarget.connector(this, provider, options, sinkTable.schema()), sinkTable.name(), checkpoint,
        Trigger.parse(conf.get(RuntimeConfig.TRIGGER)),
        sinkTable.outputMode() != null ? OutputMode.parse(sinkTable.outputMode()) : configuredMode(),
        conf.get(RuntimeConfig.LATE_ROWS_TABLE));
    return new StatementResult.Started(query, sinkTable.name());
  }

  // ---------------------------------------------------------------- Java API

  public DataStreamReader readStream() {
    checkOpen();
    return new DataStreamReader(this);
  }

  /** The stream or table {@code name} as a Dataset ({@code SELECT * FROM name}). */
  public Dataset table(String name) {
    TableDefinition t = catalog.get(name);
    return sql("SELECT * FROM `" + t.name() + "`");
  }

  /** The memory stream declared as {@code name} ({@code 'connector' = 'memory'}), to add rows to. */
  public MemoryStream memoryStream(String name) {
    TableDefinition t = catalog.get(name);
    if (!t.connector().equalsIgnoreCase("memory") || t.kind() != Statement.Kind.STREAM) {
      throw FreshetException.user("'" + name + "' is not a memory stream (CREATE STREAM " + name
          + " (...) WITH ('connector' = 'memory'))");
    }
    return resources.getOrCreate(MemoryStream.resourceKey(t.name()), MemoryStream.class,
        () -> new MemoryStream(t.name(), t.schema(), resourceAllocator));
  }

  /**
   * A DStream of rows as a SQL stream named {@code name} with {@code schema}: each batch of the DStream is added
   * to the stream, which queries read like any other (the bridge from the DStream API to SQL). Call it before the
   * streaming context starts: it adds an output operation to the DStream.
   */
  public void createStream(String name, io.freshet.exec.dstream.streaming.api.java.JavaDStream<Row> dstream,
      RowSchema schema) {
    sql("CREATE STREAM `" + name + "` (" + columnList(schema) + ") WITH ('connector' = 'memory')");
    MemoryStream stream = memoryStream(name);
    dstream.foreachRDD(rdd -> {
      List<Row> rows = rdd.collect();
      if (!rows.isEmpty()) {
        stream.addData(rows);
      }
    });
  }

  private static String columnList(RowSchema schema) {
    StringBuilder ddl = new StringBuilder();
    for (int i = 0; i < schema.size(); i++) {
      ddl.append(i == 0 ? "" : ", ").append('`').append(schema.column(i).name()).append("` ")
          .append(schema.type(i).sqlName());
    }
    return ddl.toString();
  }

  /** Spark's {@code createDataFrame(rows, schema)}: a local Dataset of these rows, for a temporary view. */
  public Dataset createDataFrame(List<Row> rows, RowSchema schema) {
    return Dataset.local(this, schema, rows);
  }

  /**
   * Spark's {@code createDataFrame(rdd, beanClass)}: a local Dataset with a column per bean property (its
   * getters; String, the boxed or primitive int, long, double, float, boolean, and java.sql.Timestamp), in the
   * order of their names, as Spark orders bean columns. Used inside {@code foreachRDD} to run SQL on a batch.
   */
  public <T> Dataset createDataFrame(io.freshet.exec.dstream.api.java.JavaRDD<T> rdd, Class<T> beanClass) {
    return createDataFrame(rdd.collect(), beanClass);
  }

  public <T> Dataset createDataFrame(List<T> beans, Class<T> beanClass) {
    List<java.beans.PropertyDescriptor> properties = new ArrayList<>();
    try {
      for (java.beans.PropertyDescriptor p : java.beans.Introspector.getBeanInfo(beanClass, Object.class)
          .getPropertyDescriptors()) {
        if (p.getReadMethod() != null) {
          properties.add(p);
        }
      }
    } catch (java.beans.IntrospectionException e) {
      throw FreshetException.user("Cannot read the properties of bean class " + beanClass.getName() + ": "
          + e.getMessage());
    }
    properties.sort(java.util.Comparator.comparing(java.beans.PropertyDescriptor::getName));
    Column[] columns = new Column[properties.size()];
    for (int i = 0; i < columns.length; i++) {
      columns[i] = Column.of(properties.get(i).getName(),
          beanType(beanClass, properties.get(i)));
    }
    List<Row> rows = new ArrayList<>();
    for (T bean : beans) {
      Object[] values = new Object[columns.length];
      for (int i = 0; i < columns.length; i++) {
        try {
          values[i] = properties.get(i).getReadMethod().invoke(bean);
        } catch (ReflectiveOperationException e) {
          throw FreshetException.user("Cannot read property " + properties.get(i).getName() + " of a "
              + beanClass.getName() + ": " + e);
        }
        if (values[i] instanceof java.sql.Timestamp t) {
          values[i] = t.getTime();
        } else if (values[i] instanceof Float f) {
          values[i] = f.doubleValue();
        }
      }
      rows.add(Row.of(values));
    }
    return createDataFrame(rows, RowSchema.of(columns));
  }

  private static io.freshet.exec.types.TypeKind beanType(Class<?> bean, java.beans.PropertyDescriptor p) {
    Class<?> t = p.getPropertyType();
    if (t == String.class) {
      return io.freshet.exec.types.TypeKind.VARCHAR;
    } else if (t == int.class || t == Integer.class) {
      return io.freshet.exec.types.TypeKind.INT;
    } else if (t == long.class || t == Long.class) {
      return io.freshet.exec.types.TypeKind.BIGINT;
    } else if (t == double.class || t == Double.class || t == float.class || t == Float.class) {
      return io.freshet.exec.types.TypeKind.DOUBLE;
    } else if (t == boolean.class || t == Boolean.class) {
      return io.freshet.exec.types.TypeKind.BOOLEAN;
    } else if (t == java.sql.Timestamp.class) {
      return io.freshet.exec.types.TypeKind.TIMESTAMP;
    }
    throw FreshetException.user("Property " + p.getName() + " of bean class " + bean.getName() + " has type "
        + t.getName() + ", which has no SQL type here; use String, int, long, double, float, boolean or "
        + "java.sql.Timestamp");
  }

  /**
   * A local Dataset's rows as a bounded table {@code name} that SQL reads, replacing a table of that name: Spark's
   * {@code createOrReplaceTempView} on a DataFrame made from data.
   */
  void registerLocalTable(String name, RowSchema schema, List<Row> rows) {
    if (catalog.contains(name)) {
      sql("DROP " + catalog.get(name).kind().name() + " `" + name + "`");
    }
    sql("CREATE TABLE `" + name + "` (" + columnList(schema) + ") WITH ('connector' = 'memory')");
    MemoryTable table = resources.getOrCreate(MemoryTable.resourceKey(name), MemoryTable.class,
        () -> new MemoryTable(name, schema, resourceAllocator));
    table.reset(schema);
    try (io.freshet.exec.batch.Batch batch = io.freshet.exec.batch.BatchBuilder.of(schema, resourceAllocator, rows)) {
      table.commit(0, List.of(batch), OutputMode.COMPLETE);
    }
  }

  /** The rows held by memory table {@code name} (the result of a query into the memory sink). */
  public List<Row> memoryTableRows(String name) {
    MemoryTable table = resources.get(MemoryTable.resourceKey(name), MemoryTable.class);
    if (table == null) {
      throw FreshetException.user("No memory table named '" + name + "'");
    }
    return table.rows();
  }

  public StreamingQueryManager streams() {
    return manager;
  }

  public RuntimeConfig conf() {
    return conf;
  }

  public String appName() {
    return appName;
  }

  /** Partitions for stateful work, from {@code master("local[N]")}. */
  public int parallelism() {
    return parallelism;
  }

  String nextAnonymousName() {
    synchronized (this) {
      return "__stream_" + (anonymousStreams++);
    }
  }

  Catalog catalog() {
    return catalog;
  }

  ConnectorRegistry connectors() {
    return connectors;
  }

  SharedResources resources() {
    return resources;
  }

  PrintStream console() {
    return console;
  }

  BufferAllocator allocator() {
    return allocator;
  }

  QueryLauncher launcher() {
    return new QueryLauncher(this);
  }

  /** Registers a starting query; refuses a second active query on the same checkpoint directory. */
  void queryStarted(StreamExecution query) {
    synchronized (queries) {
      for (StreamExecution other : queries) {
        if (other.checkpointLocation().toAbsolutePath().normalize()
            .equals(query.checkpointLocation().toAbsolutePath().normalize())) {
          throw FreshetException.user("Checkpoint location " + query.checkpointLocation() + " is in use by running "
              + "query " + other.name() + " [id = " + other.id() + "]; stop it first, or give this query its own "
              + "checkpoint location");
        }
      }
      queries.add(query);
    }
  }

  void queryEnded(StreamExecution query) {
    queries.remove(query);
  }

  private void checkOpen() {
    if (closed) {
      throw FreshetException.user("This session is closed");
    }
  }

  /** Stops every query, frees all memory, and fails if any Arrow buffer leaked. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (StreamExecution q : new ArrayList<>(queries)) {
      q.stop();
    }
    for (Object r : resources.all()) {
      if (r instanceof AutoCloseable c) {
        closeQuietly(c);
      }
    }
    try {
      resourceAllocator.close();
      allocator.close();
    } catch (IllegalStateException e) {
      throw FreshetException.internal("Arrow memory leaked when the session closed: " + e.getMessage(), e);
    }
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      throw FreshetException.internal("cannot close " + c, e);
    }
  }
}
