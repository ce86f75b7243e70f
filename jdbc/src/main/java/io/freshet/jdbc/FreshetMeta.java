package io.freshet.jdbc;

import io.freshet.exec.types.RowSchema;
import io.freshet.sql.Dataset;
import io.freshet.sql.FreshetSession;
import io.freshet.sql.StatementResult;
import io.freshet.sql.parser.FreshetParser;
import io.freshet.sql.parser.ScriptSplitter;
import io.freshet.streaming.FreshetException;
import io.freshet.streaming.Row;
import io.freshet.streaming.StreamingQuery;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.calcite.avatica.AvaticaConnection;
import org.apache.calcite.avatica.AvaticaParameter;
import org.apache.calcite.avatica.ColumnMetaData;
import org.apache.calcite.avatica.MetaImpl;
import org.apache.calcite.avatica.MissingResultsException;
import org.apache.calcite.avatica.NoSuchConnectionException;
import org.apache.calcite.avatica.NoSuchStatementException;
import org.apache.calcite.avatica.QueryState;
import org.apache.calcite.avatica.remote.TypedValue;
import org.apache.calcite.sql.SqlInsert;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOrderBy;

/**
 * Avatica's {@link org.apache.calcite.avatica.Meta} over a Freshet engine: in process, one per connection; in the
 * server, one for all clients, which Avatica's {@code LocalService} calls. A statement runs through
 * {@link FreshetSession#execute}: DDL, SET, RESET and STOP QUERY give an update count of 0; SHOW, DESCRIBE, EXPLAIN
 * and HELP a result set of text; INSERT INTO starts its persistent query and gives one row, its name and id; a
 * SELECT starts its query into a {@link ResultBuffer} and gives a result set that {@link #fetch} fills while the
 * query runs: each fetch waits up to {@link #FETCH_WAIT_MS} for rows and says, with {@code done}, whether the
 * query ended.
 */
public final class FreshetMeta extends MetaImpl {
  /** How long a fetch waits for the first row before it answers with none (the reader then fetches again). */
  static final long FETCH_WAIT_MS = 500;
  /** How long a server keeps running a SELECT that no client fetches from (the client went away). */
  static final long UNREAD_RESULT_MS = 5 * 60_000;

  private final Engine engine;
  private final boolean server;
  private final Map<String, Map<Integer, StatementState>> connections = new ConcurrentHashMap<>();
  private final AtomicInteger statementIds = new AtomicInteger();
  private final ScheduledExecutorService reaper;

  /** A statement's state: the SQL it was prepared with, and the result of its running SELECT. */
  private static final class StatementState {
    volatile String preparedSql;
    volatile ResultBuffer result;
    /** Whether its SELECT was stopped because no client fetched from it: a later fetch fails, saying so. */
    volatile boolean reaped;

    void closeResult() {
      ResultBuffer r = result;
      result = null;
      if (r != null) {
        r.close();
      }
    }
  }

  /** In process: the meta of one connection, over an engine it gives back when the connection closes. */
  FreshetMeta(AvaticaConnection connection, Engine engine) {
    super(connection);
    this.engine = engine;
    this.server = false;
    this.reaper = null;
    connections.put(connection.id, new ConcurrentHashMap<>());
  }

  /** The server's meta, for every client; it stops a SELECT whose client no longer fetches. */
  public FreshetMeta(Engine engine) {
    super(null);
    this.engine = engine;
    this.server = true;
    this.reaper = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "freshet-jdbc-reaper");
      t.setDaemon(true);
      return t;
    });
    reaper.scheduleWithFixedDelay(this::stopUnreadResults, 30, 30, TimeUnit.SECONDS);
  }

  public FreshetSession session() {
    return engine.session();
  }

  /** Stops every running SELECT and forgets every connection (the server is stopping). */
  public void shutdown() {
    if (reaper != null) {
      reaper.shutdownNow();
    }
    for (String id : List.copyOf(connections.keySet())) {
      closeConnection(new ConnectionHandle(id));
    }
  }

  private void stopUnreadResults() {
    long now = System.nanoTime();
    for (Map<Integer, StatementState> statements : connections.values()) {
      for (StatementState s : statements.values()) {
        ResultBuffer r = s.result;
        if (r != null && now - r.lastTaken() > UNREAD_RESULT_MS * 1_000_000) {
          s.reaped = true;
          s.closeResult();
        }
      }
    }
  }

  /** Freshet's error as this meta's caller passes it on: as it is in process, as Avatica's over the wire. */
  private RuntimeException fail(RuntimeException e) {
    return server ? Errors.toAvatica(e) : Errors.inProcess(e);
  }

  // ---------------------------------------------------------------- connections and statements

  @Override
  public void openConnection(ConnectionHandle ch, Map<String, String> info) {
    connections.putIfAbsent(ch.id, new ConcurrentHashMap<>());
  }

  @Override
  public void closeConnection(ConnectionHandle ch) {
    Map<Integer, StatementState> statements = connections.remove(ch.id);
    if (statements != null) {
      statements.values().forEach(StatementState::closeResult);
    }
    if (!server && statements != null) {
      engine.release();
    }
  }

  @Override
  public StatementHandle createStatement(ConnectionHandle ch) {
    StatementHandle h = new StatementHandle(ch.id, statementIds.incrementAndGet(), null);
    statements(ch.id).put(h.id, new StatementState());
    return h;
  }

  private Map<Integer, StatementState> statements(String connectionId) {
    Map<Integer, StatementState> statements = connections.get(connectionId);
    if (statements == null) {
      throw new NoSuchConnectionException(connectionId);
    }
    return statements;
  }

  /** The statement's state; a statement the server forgot (its result was stopped) is taken up again. */
  private StatementState state(StatementHandle h) {
    return statements(h.connectionId).computeIfAbsent(h.id, id -> new StatementState());
  }

  @Override
  public void closeStatement(StatementHandle h) {
    Map<Integer, StatementState> statements = connections.get(h.connectionId);
    StatementState s = statements == null ? null : statements.get(h.id);
    if (s == null) {
      return;
    }
    s.closeResult();
    // A remote client closes a statement to stop its result (cancel, max rows, timeout) and may execute it again:
    // a prepared statement keeps its SQL until its connection closes.
    if (!server || s.preparedSql == null) {
      statements.remove(h.id);
    }
  }

  /** Stops the statement's running SELECT and drops its rows; the statement stays open. */
  void stopResult(StatementHandle h) {
    Map<Integer, StatementState> statements = connections.get(h.connectionId);
    StatementState s = statements == null ? null : statements.get(h.id);
    if (s != null) {
      s.closeResult();
    }
  }

  @Override
  public ConnectionProperties connectionSync(ConnectionHandle ch, ConnectionProperties connProps) {
    statements(ch.id);
    return super.connectionSync(ch, connProps);
  }

  @Override
  public boolean syncResults(StatementHandle h, QueryState state, long offset) {
    return false;
  }

  /** Freshet has no transactions: each statement takes effect at once, as with auto-commit. */
  @Override
  public void commit(ConnectionHandle ch) {
  }

  @Override
  public void rollback(ConnectionHandle ch) {
  }

  // ---------------------------------------------------------------- executing

  @Override
  public StatementHandle prepare(ConnectionHandle ch, String sql, long maxRowCount) {
    try {
      StatementHandle h = createStatement(ch);
      state(h).preparedSql = sql;
      h.signature = prepareSignature(sql);
      return h;
    } catch (RuntimeException e) {
      throw fail(e);
    }
  }

  /**
   * The signature of a prepared statement: its parameters (of any type) and, for a query, its columns as planned
   * with every parameter NULL (the columns of its result set, once executed, are those of the query as run).
   */
  private Signature prepareSignature(String sql) {
    int n = Parameters.count(sql);
    List<AvaticaParameter> parameters = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      parameters.add(new AvaticaParameter(false, 0, 0, java.sql.Types.OTHER, "ANY", Object.class.getName(),
          "?" + (i + 1)));
    }
    String bound = Parameters.bind(sql, Collections.nCopies(n, TypedValue.ofLocal(ColumnMetaData.Rep.OBJECT, null)));
    ScriptSplitter.Piece piece = onePiece(bound);
    SqlNode node = FreshetParser.parseStatement(piece.text(), piece.line(), piece.column());
    List<ColumnMetaData> columns = List.of();
    boolean query = node.getKind().belongsTo(SqlKind.QUERY) || node instanceof SqlOrderBy;
    if (query) {
      try {
        StatementResult r = session().execute(piece.text(), piece.line(), piece.column());
        if (r instanceof StatementResult.Query q) {
          columns = columns(q.dataset().schema());
        }
      } catch (FreshetException e) {
        // A query that does not plan with NULL parameters: its columns are known once it runs.
      }
    }
    boolean rows = query || node instanceof SqlInsert || !node.getKind().belongsTo(SqlKind.DDL)
        && node.getKind() != SqlKind.SET_OPTION;
    return Signature.create(columns, sql, parameters, CursorFactory.LIST,
        rows ? StatementType.SELECT : StatementType.OTHER_DDL);
  }

  @Override
  public ExecuteResult prepareAndExecute(StatementHandle h, String sql, long maxRowCount,
      PrepareCallback callback) throws NoSuchStatementException {
    return prepareAndExecute(h, sql, maxRowCount, -1, callback);
  }

  @Override
  public ExecuteResult prepareAndExecute(StatementHandle h, String sql, long maxRowCount, int maxRowsInFirstFrame,
      PrepareCallback callback) throws NoSuchStatementException {
    try {
      MetaResultSet result = run(h, sql);
      synchronized (callback.getMonitor()) {
        callback.clear();
        callback.assign(result.signature, result.firstFrame, result.updateCount);
      }
      callback.execute();
      return new ExecuteResult(List.of(result));
    } catch (java.sql.SQLException e) {
      throw fail(new FreshetException(FreshetException.Kind.INTERNAL, e.getMessage(), e));
    } catch (RuntimeException e) {
      throw fail(e);
    }
  }

  @Override
  public ExecuteResult execute(StatementHandle h, List<TypedValue> parameterValues, long maxRowCount)
      throws NoSuchStatementException {
    return execute(h, parameterValues, (int) Math.min(Integer.MAX_VALUE, maxRowCount));
  }

  @Override
  public ExecuteResult execute(StatementHandle h, List<TypedValue> parameterValues, int maxRowsInFirstFrame)
      throws NoSuchStatementException {
    StatementState s = state(h);
    if (s.preparedSql == null) {
      throw new NoSuchStatementException(h);
    }
    try {
      return new ExecuteResult(List.of(run(h, Parameters.bind(s.preparedSql, parameterValues))));
    } catch (RuntimeException e) {
      throw fail(e);
    }
  }

  @Override
  public ExecuteBatchResult prepareAndExecuteBatch(StatementHandle h, List<String> sqlCommands) {
    try {
      long[] counts = new long[sqlCommands.size()];
      for (int i = 0; i < counts.length; i++) {
        counts[i] = batchCount(run(h, sqlCommands.get(i)), h);
      }
      return new ExecuteBatchResult(counts);
    } catch (RuntimeException e) {
      throw fail(e);
    }
  }

  @Override
  public ExecuteBatchResult executeBatch(StatementHandle h, List<List<TypedValue>> parameterValues)
      throws NoSuchStatementException {
    StatementState s = state(h);
    if (s.preparedSql == null) {
      throw new NoSuchStatementException(h);
    }
    try {
      long[] counts = new long[parameterValues.size()];
      for (int i = 0; i < counts.length; i++) {
        counts[i] = batchCount(run(h, Parameters.bind(s.preparedSql, parameterValues.get(i))), h);
      }
      return new ExecuteBatchResult(counts);
    } catch (RuntimeException e) {
      throw fail(e);
    }
  }

  /** A batch statement's update count; a SELECT has no place in a batch. */
  private long batchCount(MetaResultSet result, StatementHandle h) {
    if (result.updateCount >= 0) {
      return result.updateCount;
    }
    if (state(h).result != null) {
      stopResult(h);
      throw FreshetException.user("A batch runs statements that change something (CREATE, INSERT INTO, SET, ...), "
          + "not SELECT; run a query with executeQuery");
    }
    return java.sql.Statement.SUCCESS_NO_INFO;
  }

  private static ScriptSplitter.Piece onePiece(String sql) {
    List<ScriptSplitter.Piece> pieces = ScriptSplitter.split(sql);
    if (pieces.size() != 1) {
      throw FreshetException.user("A JDBC statement runs one SQL statement, but this text holds " + pieces.size()
          + (pieces.isEmpty() ? " (it is empty or only comments)" : "; run them one by one"));
    }
    return pieces.get(0);
  }

  /** Runs one statement on the engine and describes its result; a SELECT keeps running into its buffer. */
  private MetaResultSet run(StatementHandle h, String sql) {
    StatementState s = state(h);
    s.closeResult();
    ScriptSplitter.Piece piece = onePiece(sql);
    StatementResult r = session().execute(piece.text(), piece.line(), piece.column());
    if (r instanceof StatementResult.Message || r instanceof StatementResult.Stopped) {
      return MetaResultSet.count(h.connectionId, h.id, 0);
    }
    if (r instanceof StatementResult.Text t) {
      return table(h, sql, List.of("text"), t.text().lines().map(l -> Row.of(l)).toList());
    }
    if (r instanceof StatementResult.Table t) {
      return table(h, sql, t.columns(), t.rows());
    }
    if (r instanceof StatementResult.Started started) {
      StreamingQuery q = started.query();
      return table(h, sql, List.of("query", "id"), List.of(Row.of(q.name(), q.id().toString())));
    }
    Dataset dataset = ((StatementResult.Query) r).dataset();
    ResultBuffer buffer = new ResultBuffer();
    s.reaped = false;
    s.result = buffer;
    buffer.attach(dataset.run(buffer));
    Signature signature = Signature.create(columns(dataset.schema()), sql, List.of(), CursorFactory.LIST,
        StatementType.SELECT);
    return MetaResultSet.create(h.connectionId, h.id, false, signature, new Frame(0, false, List.of()));
  }

  private static List<ColumnMetaData> columns(RowSchema schema) {
    List<ColumnMetaData> columns = new ArrayList<>();
    for (int i = 0; i < schema.size(); i++) {
      columns.add(ColumnTypes.column(i, schema.column(i)));
    }
    return columns;
  }

  /** A result computed at once, its values as text. */
  private static MetaResultSet table(StatementHandle h, String sql, List<String> names, List<Row> rows) {
    List<ColumnMetaData> columns = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      columns.add(ColumnTypes.text(i, names.get(i)));
    }
    List<Object> values = new ArrayList<>();
    for (Row row : rows) {
      List<Object> v = new ArrayList<>();
      for (int i = 0; i < names.size(); i++) {
        Object o = i < row.size() ? row.get(i) : null;
        v.add(o == null ? null : o.toString());
      }
      values.add(v);
    }
    Signature signature = Signature.create(columns, sql, List.of(), CursorFactory.LIST, StatementType.SELECT);
    return MetaResultSet.create(h.connectionId, h.id, false, signature, new Frame(0, true, values));
  }

  @Override
  public Frame fetch(StatementHandle h, long offset, int fetchMaxRowCount)
      throws NoSuchStatementException, MissingResultsException {
    StatementState s = state(h);
    ResultBuffer buffer = s.result;
    if (buffer == null && s.reaped) {
      s.reaped = false;
      throw fail(FreshetException.user("The query of this result was stopped after " + UNREAD_RESULT_MS / 60_000
          + " minutes in which no client fetched its rows, so the rows read before this one are not all of "
          + "its answer; run it again"));
    }
    if (buffer == null) {
      return new Frame(offset, true, List.of());
    }
    try {
      ResultBuffer.Taken taken = buffer.take(fetchMaxRowCount > 0 ? fetchMaxRowCount : 100, FETCH_WAIT_MS);
      return new Frame(offset, taken.done(), taken.rows());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Frame(offset, false, List.of());
    } catch (RuntimeException e) {
      s.result = null;
      throw fail(e);
    }
  }

  @Override
  public Iterable<Object> createIterable(StatementHandle h, QueryState state, Signature signature,
      List<TypedValue> parameterValues, Frame firstFrame) {
    if (firstFrame != null && firstFrame.done) {
      return firstFrame.rows;
    }
    return new StreamingRows(connection.statementMap.get(h.id), firstFrame,
        (offset, max) -> fetch(h, offset, max), () -> stopResult(h));
  }

  // ---------------------------------------------------------------- what DatabaseMetaData lists

  @Override
  public Map<DatabaseProperty, Object> getDatabaseProperties(ConnectionHandle ch) {
    Map<DatabaseProperty, Object> properties = new EnumMap<>(DatabaseProperty.class);
    properties.put(DatabaseProperty.GET_DATABASE_PRODUCT_NAME, "Freshet");
    properties.put(DatabaseProperty.GET_DATABASE_PRODUCT_VERSION, FreshetDriver.VERSION);
    properties.put(DatabaseProperty.GET_DEFAULT_TRANSACTION_ISOLATION, Connection.TRANSACTION_NONE);
    return properties;
  }

  @Override
  public MetaResultSet getTables(ConnectionHandle ch, String catalog, Pat schemaPattern, Pat tableNamePattern,
      List<String> typeList) {
    return listing(ch, MetaTable.class, CatalogMetadata.tables(session(), schemaPattern, tableNamePattern,
        typeList));
  }

  @Override
  public MetaResultSet getColumns(ConnectionHandle ch, String catalog, Pat schemaPattern, Pat tableNamePattern,
      Pat columnNamePattern) {
    return listing(ch, MetaColumn.class, CatalogMetadata.columns(session(), schemaPattern, tableNamePattern,
        columnNamePattern));
  }

  @Override
  public MetaResultSet getSchemas(ConnectionHandle ch, String catalog, Pat schemaPattern) {
    return listing(ch, MetaSchema.class, CatalogMetadata.schemas(session(), schemaPattern));
  }

  @Override
  public MetaResultSet getCatalogs(ConnectionHandle ch) {
    return listing(ch, MetaCatalog.class, List.of());
  }

  @Override
  public MetaResultSet getTableTypes(ConnectionHandle ch) {
    return listing(ch, MetaTableType.class, CatalogMetadata.TABLE_TYPES.stream().map(MetaTableType::new).toList());
  }

  /** A metadata result set of {@code rows}, complete in its first frame, its columns the fields of {@code type}. */
  private MetaResultSet listing(ConnectionHandle ch, Class<?> type, List<?> rows) {
    try {
      statements(ch.id);
      List<java.lang.reflect.Field> fields = new ArrayList<>();
      for (java.lang.reflect.Field f : type.getFields()) {
        if (!java.lang.reflect.Modifier.isStatic(f.getModifiers())) {
          fields.add(f);
        }
      }
      List<Object> values = new ArrayList<>();
      for (Object row : rows) {
        List<Object> v = new ArrayList<>();
        for (java.lang.reflect.Field f : fields) {
          v.add(f.get(row));
        }
        values.add(v);
      }
      Signature signature = Signature.create(fieldMetaData(type).columns, "", List.of(), CursorFactory.LIST,
          StatementType.SELECT);
      return MetaResultSet.create(ch.id, statementIds.incrementAndGet(), true, signature,
          new Frame(0, true, values));
    } catch (IllegalAccessException e) {
      throw fail(new FreshetException(FreshetException.Kind.INTERNAL, "Cannot list " + type.getSimpleName(), e));
    } catch (RuntimeException e) {
      throw fail(e);
    }
  }
}
