package io.freshet.sql;

import io.freshet.exec.batch.ArrowAccess;
import io.freshet.exec.connector.ConnectorRegistry;
import io.freshet.exec.connector.SharedResources;
import io.freshet.exec.engine.StreamExecution;
import io.freshet.exec.memory.MemoryStream;
import io.freshet.exec.memory.MemoryTable;
import io.freshet.exec.types.Column;
import io.freshet.exec.types.RowSchema;
import io.freshet.planner.DeepStack;
import io.freshet.planner.PlannedQuery;
import io.freshet.planner.QueryPlanner;
import io.freshet.sql.catalog.Catalog;
import io.freshet.sql.catalog.TableDefinition;
import io.freshet.sql.parser.ScriptSplitter;
import io.freshet.sql.catalog.TableKind;
import io.freshet.sql.catalog.Watermark;
import io.freshet.streaming.FreshetException;
import io.freshet.streaming.OutputMode;
import io.freshet.streaming.Row;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.calcite.sql.SqlNode;

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
  private final StatementExecutor statements = new StatementExecutor(this);
  private int anonymousStreams;
  private boolean closed;

  private FreshetSession(Builder builder) {
    ArrowAccess.require("A Freshet session");
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

    /**
     * {@code local}, {@code local[N]} or {@code local[*]}: how many partitions each query runs in (one thread
     * each); {@code local} is one, {@code local[*]} one per core, the default.
     */
    public Builder master(String master) {
      Matcher m = Pattern.compile("local(?:\\[(\\*|\\d+)])?").matcher(master.trim());
      if (!m.matches()) {
        throw FreshetException.user("Unknown master '" + master + "'; Freshet runs in-process: use local, local[N] "
            + "or local[*]");
      }
      String n = m.group(1);
      parallelism = n == null ? 1 : n.equals("*") ? Runtime.getRuntime().availableProcessors()
          : RuntimeConfig.parallelism(n);
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
    if (result instanceof StatementResult.Stopped s) {
      return Dataset.local(this, List.of("result"), List.of(Row.of(s.message())));
    }
    if (result instanceof StatementResult.Text t) {
      return Dataset.local(this, List.of("text"), t.text().lines().map(l -> Row.of(l)).toList());
    }
    return Dataset.local(this, List.of("result"), List.of(Row.of(((StatementResult.Message) result).text())));
  }

  /** Runs one statement (no trailing semicolon) that starts at {@code line}:{@code column} of its script. */
  public StatementResult execute(String text, int line, int column) {
    checkOpen();
    return DeepStack.call(() -> statements.execute(text, line, column));
  }

  /** The output mode set with {@code SET 'output-mode'}, or null to let each query take its default. */
  OutputMode configuredMode() {
    String mode = conf.get(RuntimeConfig.OUTPUT_MODE);
    return mode == null ? null : OutputMode.parse(mode);
  }

  PlannedQuery plan(SqlNode query) {
    return new QueryPlanner(catalog.plannerTables()).plan(query);
  }

  /** Checks a definition against its connector and adds nothing; the caller adds it to the catalog. */
  TableDefinition define(String name, TableKind kind, String connector, Map<String, String> options,
      RowSchema declared, Watermark watermark) {
    return statements.define(name, kind, connector, options, declared, watermark);
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
    if (!t.connector().equalsIgnoreCase("memory") || t.kind() != TableKind.STREAM) {
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

  /** How many partitions queries run in unless {@code SET 'parallelism'} says otherwise: {@code master("local[N]")}. */
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

  /** The queries running now. */
  List<StreamExecution> running() {
    return List.copyOf(queries);
  }

  /** Removes the shared resource (a memory stream or table) under {@code key} and closes it. */
  void closeResource(String key) {
    if (resources.remove(key) instanceof AutoCloseable c) {
      closeQuietly(c);
    }
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
