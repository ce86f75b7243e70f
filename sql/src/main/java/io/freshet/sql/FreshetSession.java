package io.freshet.sql;

import io.freshet.exec.aggregate.KeyGroups;
import io.freshet.exec.batch.ArrowAccess;
import io.freshet.exec.connector.ConnectorRegistry;
import io.freshet.spark.api.java.JavaRDD;
import io.freshet.spark.streaming.api.java.JavaDStream;
import io.freshet.exec.memory.MemoryStream;
import io.freshet.exec.types.RowSchema;
import io.freshet.planner.DeepStack;
import io.freshet.planner.PlannedQuery;
import io.freshet.planner.QueryPlanner;
import io.freshet.planner.logical.Frame;
import io.freshet.sql.catalog.Catalog;
import io.freshet.sql.catalog.TableDefinition;
import io.freshet.sql.catalog.TableKind;
import io.freshet.sql.catalog.ViewDefinition;
import io.freshet.sql.catalog.Watermark;
import io.freshet.sql.parser.ScriptSplitter;
import io.freshet.streaming.FreshetException;
import io.freshet.streaming.OutputMode;
import io.freshet.streaming.Row;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
  /** The processing-time clock of the session's queries, or null for the system clock. */
  private final io.freshet.exec.engine.ManualClock clock;
  private final SessionResources resources;
  private final ConnectorRegistry connectors = ConnectorRegistry.load();
  private final Catalog catalog = new Catalog();
  private final ViewExpander views = new ViewExpander(name -> {
    // A Dataset's view is no SQL to expand: the planner reads it as a table.
    ViewDefinition view = catalog.view(name);
    return view == null || view.dataset() != null ? null : view;
  });
  private final RuntimeConfig conf = new RuntimeConfig();
  private final PrintStream console;
  private final PrintStream notices;
  private final QueryRegistry queries;
  /** Threads that hand a running SELECT's last rows to its reader ({@link Dataset#run}); closing waits for them. */
  private final java.util.Set<Thread> resultWatchers = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private final StatementExecutor statements = new StatementExecutor(this);
  private int anonymousStreams;
  private boolean closed;

  private FreshetSession(Builder builder) {
    ArrowAccess.require("A Freshet session");
    this.appName = builder.appName;
    this.queries = new QueryRegistry(builder.appName);
    this.parallelism = builder.parallelism;
    this.clock = builder.clock;
    this.resources = new SessionResources(builder.memoryLimit);
    this.console = builder.console;
    this.notices = builder.notices;
    builder.config.forEach(conf::set);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builds a session, as {@code SparkSession.builder()}. */
  public static final class Builder {
    private String appName = "freshet";
    private int parallelism = defaultParallelism();
    private long memoryLimit = Long.MAX_VALUE;
    private PrintStream console = System.out;
    private PrintStream notices = System.err;
    private io.freshet.exec.engine.ManualClock clock;
    private final Map<String, String> config = new LinkedHashMap<>();

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
      parallelism = n == null ? 1 : n.equals("*") ? defaultParallelism() : RuntimeConfig.parallelism(n);
      return this;
    }

    /** One partition per core, up to the number of key groups. */
    private static int defaultParallelism() {
      return Math.min(Runtime.getRuntime().availableProcessors(), KeyGroups.COUNT);
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

    /** Where warnings about the queries started go, such as a join whose state grows (standard error by default). */
    public Builder notices(PrintStream out) {
      this.notices = out;
      return this;
    }

    /**
     * A clock that moves only when told to, for tests: the session's queries take their processing time from it
     * ({@code PROCTIME()}, processing-time windows, idle inputs), and run a trigger when it moves or when
     * processAllAvailable() is called, not as the wall clock goes.
     */
    public Builder clock(io.freshet.exec.engine.ManualClock manualClock) {
      this.clock = manualClock;
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

  /** Plans a query, with the views it reads planned in their places. */
  PlannedQuery plan(SqlNode query) {
    String ttl = conf().get(RuntimeConfig.STATE_TTL);
    long ttlMs = ttl == null ? 0 : RuntimeConfig.durationMs(ttl);
    PlannedQuery planned = readingViews(query, expanded -> planner()
        .withStateTtl(ttlMs).plan(expanded));
    return Boolean.parseBoolean(conf.get(RuntimeConfig.CHANGELOG_MODE)) ? planned.withRowKinds() : planned;
  }

  /**
   * The Dataset of a SQL query: {@code parsed} planned now, and {@code parse} giving the same query parsed anew each
   * time a Dataset operation plans it again (Calcite's validator rewrites the nodes it validates).
   */
  Dataset query(SqlNode parsed, java.util.function.Supplier<SqlNode> parse) {
    return new Dataset(this, new Frame.Query(() -> views.expand(parse.get())), plan(parsed));
  }

  /** The Dataset of a query the Java API built, planned now. */
  Dataset dataset(Frame frame) {
    String ttl = conf().get(RuntimeConfig.STATE_TTL);
    long ttlMs = ttl == null ? 0 : RuntimeConfig.durationMs(ttl);
    PlannedQuery planned = planner().withStateTtl(ttlMs).plan(frame);
    return new Dataset(this, frame, Boolean.parseBoolean(conf.get(RuntimeConfig.CHANGELOG_MODE))
        ? planned.withRowKinds() : planned);
  }

  /** The stream or table column that column {@code name} of the frame's result is, as it is, or null. */
  java.util.List<String> origin(Frame frame, String name) {
    return planner().origin(frame, name);
  }

  /** A planner over the catalog: its streams and tables, and the views of Datasets. */
  private QueryPlanner planner() {
    return new QueryPlanner(catalog.plannerTables(), catalog.datasetViews()).withFunctions(catalog.userFunctions());
  }

  /** The columns of a query whose views are in place already ({@link ViewExpander}), once Calcite validates it. */
  RowSchema validate(SqlNode expanded) {
    return planner().validate(expanded);
  }

  /** The columns of a query that may read views, once Calcite validates it. */
  RowSchema validateReadingViews(SqlNode query) {
    return readingViews(query, this::validate);
  }

  /**
   * {@code planner} applied to the query with the views it reads in place. When that fails and a view it reads no
   * longer validates by itself (a stream it read was dropped or replaced since), the error names that view.
   */
  private <T> T readingViews(SqlNode query, java.util.function.Function<SqlNode, T> planner) {
    SqlNode expanded = views.expand(query);
    try {
      return planner.apply(expanded);
    } catch (FreshetException e) {
      if (expanded == query) {
        throw e;
      }
      for (ViewDefinition view : views.viewsRead(query)) {
        try {
          validate(views.expand(view.parse()));
        } catch (FreshetException broken) {
          throw FreshetException.user("View " + view.name() + " (its query at " + view.position()
              + ") no longer plans: " + broken.getMessage() + "; CREATE OR REPLACE VIEW " + view.name()
              + " to fix it, or DROP VIEW " + view.name(), e);
        }
      }
      throw e;
    }
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

  /** The stream, table or view {@code name} as a Dataset ({@code SELECT * FROM name}). */
  public Dataset table(String name) {
    ViewDefinition view = catalog.view(name);
    if (view != null) {
      return sql("SELECT * FROM `" + view.name() + "`");
    }
    TableDefinition t = catalog.get(name);
    return dataset(new Frame.Table(t.name()));
  }

  /** The memory stream declared as {@code name} ({@code 'connector' = 'memory'}), to add rows to. */
  public MemoryStream memoryStream(String name) {
    TableDefinition t = catalog.get(name);
    if (!t.connector().equalsIgnoreCase("memory") || t.kind() != TableKind.STREAM) {
      throw FreshetException.user("'" + name + "' is not a memory stream (CREATE STREAM " + name
          + " (...) WITH ('connector' = 'memory'))");
    }
    return resources.memoryStream(t);
  }

  /**
   * A DStream of rows as a SQL stream named {@code name} with {@code schema}: each batch of the DStream is added
   * to the stream, which queries read like any other (the bridge from the DStream API to SQL). Call it before the
   * streaming context starts: it adds an output operation to the DStream.
   */
  public void createStream(String name, JavaDStream<Row> dstream, RowSchema schema) {
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
  public <T> Dataset createDataFrame(JavaRDD<T> rdd, Class<T> beanClass) {
    return createDataFrame(rdd.collect(), beanClass);
  }

  public <T> Dataset createDataFrame(List<T> beans, Class<T> beanClass) {
    BeanRows<T> bean = new BeanRows<>(beanClass);
    return createDataFrame(bean.rows(beans), bean.schema());
  }

  /**
   * A local Dataset's rows as a bounded table {@code name} that SQL reads, replacing a table of that name: Spark's
   * {@code createOrReplaceTempView} on a DataFrame made from data.
   */
  void registerLocalTable(String name, RowSchema schema, List<Row> rows) {
    catalog.removeView(name);
    if (catalog.contains(name)) {
      sql("DROP " + catalog.get(name).kind().name() + " `" + name + "`");
    }
    sql("CREATE TABLE `" + name + "` (" + columnList(schema) + ") WITH ('connector' = 'memory')");
    resources.fillMemoryTable(name, schema, rows);
  }

  /** The rows held by memory table {@code name} (the result of a query into the memory sink). */
  public List<Row> memoryTableRows(String name) {
    return resources.memoryTableRows(name);
  }

  /**
   * The streams, tables and views with their columns, for tools that browse the catalog (JDBC's
   * {@code DatabaseMetaData}): the user's first, then the built-in schemas', then the views, each group by name.
   */
  public List<CatalogEntry> catalogEntries() {
    List<CatalogEntry> entries = new java.util.ArrayList<>();
    for (TableDefinition t : catalog.all()) {
      int dot = t.name().indexOf('.');
      entries.add(new CatalogEntry(dot < 0 ? null : t.name().substring(0, dot), t.name().substring(dot + 1),
          t.kind().name(), t.schema()));
    }
    for (ViewDefinition view : catalog.views()) {
      RowSchema columns;
      try {
        columns = validateReadingViews(io.freshet.sql.parser.FreshetParser.parseStatement("SELECT * FROM `"
            + view.name().replace("`", "``") + "`"));
      } catch (FreshetException e) {
        columns = null;
      }
      entries.add(new CatalogEntry(null, view.name(), "VIEW", columns));
    }
    return entries;
  }

  public StreamingQueryManager streams() {
    return queries.manager();
  }

  /** The running and ended queries, as the web UI and {@code /metrics} read them. */
  public QueryMonitor monitor() {
    return queries.monitor();
  }

  public RuntimeConfig conf() {
    return conf;
  }

  public String appName() {
    return appName;
  }

  /** The manual clock the session's queries follow ({@link Builder#clock}), or null for the system clock. */
  io.freshet.exec.engine.ManualClock clock() {
    return clock;
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

  SessionResources resources() {
    return resources;
  }

  PrintStream console() {
    return console;
  }

  /** Where warnings about the queries started go. */
  PrintStream notices() {
    return notices;
  }

  QueryLauncher launcher() {
    return new QueryLauncher(this);
  }

  QueryRegistry queries() {
    return queries;
  }

  /** Starts {@code watcher}, which closing the session waits for (it reads the session's memory tables). */
  void startResultWatcher(Runnable work) {
    Thread watcher = new Thread(() -> {
      try {
        work.run();
      } finally {
        resultWatchers.remove(Thread.currentThread());
      }
    }, "freshet-result-watcher");
    watcher.setDaemon(true);
    resultWatchers.add(watcher);
    watcher.start();
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
    queries.stopAll();
    // A SELECT's watcher may still be reading its answer from a memory table: the tables close after it.
    for (Thread watcher : List.copyOf(resultWatchers)) {
      try {
        watcher.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    resources.close();
  }
}
