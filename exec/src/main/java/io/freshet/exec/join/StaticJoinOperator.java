package io.freshet.exec.join;

import io.freshet.exec.batch.Batch;
import io.freshet.exec.batch.RowKind;
import io.freshet.exec.expr.EvalContext;
import io.freshet.exec.expr.Expr;
import io.freshet.exec.expr.Predicate;
import io.freshet.exec.expr.Vectors;
import io.freshet.exec.format.ByteSink;
import io.freshet.exec.operator.CalcOperator;
import io.freshet.exec.operator.Operator;
import io.freshet.exec.plan.OperatorContext;
import io.freshet.exec.plan.OperatorFactory;
import io.freshet.exec.state.OrderedBytes;
import io.freshet.exec.types.Column;
import io.freshet.exec.types.RowSchema;
import io.freshet.exec.types.TypeKind;
import io.freshet.streaming.FreshetException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;

/**
 * A join of a stream with a static table, as Spark's stream–static join: the table is read whole when the query
 * starts (and again every N batches, or when its files change, if asked), and each stream row is joined at once with
 * the table rows of its key that meet the condition; in an outer join a stream row with none comes out with nulls
 * at once. Nothing is kept in the checkpoint: a restart reads the table again. Over a changelog (the running totals
 * of an aggregation) each row keeps its kind, so a row taken back takes back what it joined with.
 *
 * <p>A semi join ({@code IN (SELECT ...)}, {@code EXISTS}) passes each stream row once, as it is, if some table row
 * of its key meets the condition; an anti join ({@code NOT EXISTS}, {@code NOT IN}) if none does. A null-aware anti
 * join is SQL's {@code NOT IN}: once the table has a row, a null on either side makes the answer unknown, so a
 * stream row with a null key, and every row when the table has a null key, does not pass.
 *
 * <p>The table's rows are one Arrow batch, found by a hash map from the encoded join key to their positions; a
 * stream batch's matches are gathered column by column.
 */
public final class StaticJoinOperator implements Operator {

  /**
   * The plan-time description; the output is the left input's columns then the right's.
   *
   * @param streamLeft whether the stream is the left input (the table the right)
   * @param table the static table's name, for messages and EXPLAIN
   * @param tableSchema the table's columns as the reader gives them
   * @param calc what is computed from the table's rows before the join (a filter and projection), or null
   * @param values the rows of a VALUES table, given in the query (then no reader is needed), or null
   * @param condition what a pair must also meet, over the stream's and the table's columns in the join's order;
   *     null for none
   * @param nullAware in an anti join of one key and no condition, {@code NOT IN}'s nulls (see the class comment)
   * @param reloadEveryBatches read the table again every so many batches (0: never)
   * @param reloadOnChange read it again before a batch when its fingerprint changed
   * @param reader how to read the table, bound before the query starts (null in the plan as planned)
   */
  public record Spec(JoinType type, boolean streamLeft, RowSchema streamSchema, int[] streamKeys, int[] tableKeys,
      String table, RowSchema tableSchema, CalcOperator.Spec calc, List<List<Object>> values, Expr condition,
      boolean nullAware, long reloadEveryBatches, boolean reloadOnChange, StaticTableReader reader)
      implements OperatorFactory {
    public Spec {
      streamKeys = streamKeys.clone();
      tableKeys = tableKeys.clone();
      if (type.leftOnly() && !streamLeft) {
        throw new IllegalArgumentException("a semi or anti join keeps the stream's rows: the stream must be left");
      }
      if (nullAware && (type != JoinType.ANTI || streamKeys.length != 1 || condition != null)) {
        throw new IllegalArgumentException("a null-aware join is an anti join of one key without a condition");
      }
    }

    /** This join reading its table with {@code with}. */
    public Spec withReader(StaticTableReader with) {
      return new Spec(type, streamLeft, streamSchema, streamKeys, tableKeys, table, tableSchema, calc, values,
          condition, nullAware, reloadEveryBatches, reloadOnChange, with);
    }

    /** This join reading its table again every {@code every} batches (0: never), or when its files change. */
    public Spec withReload(long every, boolean onChange) {
      return new Spec(type, streamLeft, streamSchema, streamKeys, tableKeys, table, tableSchema, calc, values,
          condition, nullAware, every, onChange, reader);
    }

    /** The static side's columns as the join sees them (after the table's filter and projection). */
    public RowSchema joinedTableSchema() {
      return calc == null ? tableSchema : calc.outputSchema();
    }

    @Override
    public StaticJoinOperator create(OperatorContext context) {
      if (reader == null && values == null) {
        throw new IllegalStateException("the static table " + table + " of a join has no reader bound");
      }
      return new StaticJoinOperator(this, context.allocator());
    }

    @Override
    public String kind() {
      return "static-join";
    }

    /** The stream's columns for a semi or anti join; else the joined pairs' columns. */
    @Override
    public RowSchema outputSchema() {
      return type.leftOnly() ? streamSchema : pairSchema();
    }

    /** The columns of a stream row joined with a table row, nullable on the table's side in an outer join. */
    RowSchema pairSchema() {
      List<Column> columns = new ArrayList<>();
      RowSchema left = streamLeft ? streamSchema : joinedTableSchema();
      RowSchema right = streamLeft ? joinedTableSchema() : streamSchema;
      boolean padsTable = type == JoinType.LEFT || type == JoinType.RIGHT || type == JoinType.FULL;
      for (Column c : left.columns()) {
        columns.add(padsTable && !streamLeft ? new Column(c.name(), c.type(), true) : c);
      }
      for (Column c : right.columns()) {
        columns.add(padsTable && streamLeft ? new Column(c.name(), c.type(), true) : c);
      }
      return new RowSchema(columns);
    }

    @Override
    public String describe() {
      return describe(i -> "$" + i);
    }

    @Override
    public String describe(IntFunction<String> column) {
      return "StaticJoin(" + type.label() + (nullAware ? " null-aware (NOT IN)" : "") + ", table=" + table
          + (streamLeft ? " on the right" : " on the left")
          + ", stream keys=" + keys(streamKeys, column) + ", table keys=" + Arrays.toString(tableKeys)
          + (calc == null ? "" : ", table " + calc.describe())
          + (condition == null ? "" : ", condition=[" + Expr.render(condition, i -> "$" + i) + "]")
          + (reloadEveryBatches > 0 ? ", reload every " + reloadEveryBatches + " batches" : "")
          + (reloadOnChange ? ", reload on change" : "") + ")";
    }

    private static String keys(int[] keys, IntFunction<String> column) {
      List<String> names = new ArrayList<>();
      for (int k : keys) {
        names.add(column.apply(k));
      }
      return names.toString();
    }
  }

  private final Spec spec;
  private final BufferAllocator allocator;
  private final RowSchema tableSchema;
  private final TypeKind[] keyTypes;
  private final Predicate condition;
  private final RowSchema output;
  private final ByteSink scratch = new ByteSink();
  private final JoinRows rows;
  /** The table's rows, and for each encoded join key the positions of its rows. */
  private Batch table;
  private Map<ByteKey, int[]> index = new HashMap<>();
  /** Whether a table row has a null in a join key (such a row matches nothing, but makes NOT IN unknown). */
  private boolean tableNullKey;
  private String fingerprint;
  private long batches;

  /** An encoded join key as a map key. */
  private record ByteKey(byte[] bytes) {
    @Override
    public boolean equals(Object o) {
      return o instanceof ByteKey k && Arrays.equals(bytes, k.bytes);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(bytes);
    }
  }

  private StaticJoinOperator(Spec spec, BufferAllocator allocator) {
    this.spec = spec;
    this.allocator = allocator;
    this.tableSchema = spec.joinedTableSchema();
    this.keyTypes = Arrays.stream(spec.streamKeys()).mapToObj(spec.streamSchema()::type).toArray(TypeKind[]::new);
    this.condition = spec.condition() == null ? null : Predicate.compile(spec.condition());
    this.output = spec.outputSchema();
    RowSchema stream = spec.streamSchema();
    this.rows = new JoinRows(spec.streamLeft() ? stream : tableSchema, spec.streamLeft() ? tableSchema : stream,
        spec.pairSchema(), false, allocator);
  }

  @Override
  public String name() {
    return "StaticJoin";
  }

  /** Reads the table at the first batch, and again when the settings ask for it. */
  @Override
  public void startBatch(long watermarkMs) {
    boolean due = table == null
        || spec.reloadEveryBatches() > 0 && batches % spec.reloadEveryBatches() == 0
        || spec.reloadOnChange() && spec.reader() != null && !java.util.Objects.equals(fingerprint,
            spec.reader().fingerprint());
    batches++;
    if (due) {
      load();
    }
  }

  private void load() {
    String now = spec.reader() == null ? null : spec.reader().fingerprint();
    Batch rows = read();
    if (table != null) {
      table.close();
    }
    table = rows;
    fingerprint = now;
    Map<ByteKey, List<Integer>> positions = new HashMap<>();
    tableNullKey = false;
    for (int r = 0; r < table.rowCount(); r++) {
      byte[] key = key(table, spec.tableKeys(), r);
      if (key != null) {
        positions.computeIfAbsent(new ByteKey(key), k -> new ArrayList<>()).add(r);
      } else {
        tableNullKey = true;
      }
    }
    index = new HashMap<>();
    positions.forEach((k, v) -> index.put(k, v.stream().mapToInt(Integer::intValue).toArray()));
  }

  /** The table's rows as one batch of the joined columns. */
  private Batch read() {
    List<Batch> read;
    try {
      read = spec.values() != null ? List.of(io.freshet.exec.batch.BatchBuilder.of(spec.tableSchema(), allocator,
          spec.values().stream().map(v -> io.freshet.streaming.Row.of(v.toArray())).toList()))
          : spec.reader().read(allocator);
    } catch (FreshetException e) {
      throw e;
    } catch (RuntimeException e) {
      throw FreshetException.user("Cannot read the static table " + spec.table() + " of a join: "
          + e.getMessage(), e);
    }
    Batch whole;
    if (read.size() == 1) {
      whole = read.get(0);
    } else {
      // Several batches become one, so that a row's position is its place in the table.
      try {
        List<io.freshet.streaming.Row> all = new ArrayList<>();
        for (Batch b : read) {
          all.addAll(b.rows());
        }
        whole = io.freshet.exec.batch.BatchBuilder.of(spec.tableSchema(), allocator, all);
      } finally {
        read.forEach(Batch::close);
      }
    }
    if (spec.calc() == null) {
      return whole;
    }
    try (Batch in = whole; CalcOperator calc = spec.calc().create(io.freshet.exec.plan.OperatorContext.of(
        allocator))) {
      List<Batch> out = calc.process(in);
      return out.isEmpty() ? io.freshet.exec.batch.BatchBuilder.of(tableSchema, allocator, List.of()) : out.get(0);
    }
  }

  private byte[] key(Batch batch, int[] keys, int row) {
    scratch.clear();
    for (int k = 0; k < keys.length; k++) {
      if (batch.vector(keys[k]).isNull(row)) {
        return null;
      }
      OrderedBytes.put(scratch, batch.vector(keys[k]), keyTypes[k], row, false);
    }
    return OrderedBytes.bytes(scratch);
  }

  @Override
  public List<Batch> process(Batch input) {
    int n = input.rowCount();
    if (n == 0) {
      return List.of();
    }
    if (spec.type().leftOnly()) {
      return passing(input, n);
    }
    boolean kinds = RowKind.present(input);
    List<Integer> streamRows = new ArrayList<>();
    List<Integer> tableRows = new ArrayList<>();
    for (int r = 0; r < n; r++) {
      byte[] key = key(input, spec.streamKeys(), r);
      int[] found = key == null ? null : index.get(new ByteKey(key));
      if (found != null) {
        for (int t : found) {
          streamRows.add(r);
          tableRows.add(t);
        }
      }
    }
    boolean[] matched = new boolean[n];
    List<Batch> out = new ArrayList<>();
    try {
      if (!streamRows.isEmpty()) {
        int[] s = streamRows.stream().mapToInt(Integer::intValue).toArray();
        int[] t = tableRows.stream().mapToInt(Integer::intValue).toArray();
        try (Batch pairs = joined(input, s, t, s.length, kinds)) {
          int[] selection = new int[s.length];
          int passed = s.length;
          if (condition == null) {
            for (int i = 0; i < passed; i++) {
              selection[i] = i;
            }
          } else {
            passed = condition.apply(EvalContext.all(pairs, allocator), selection).count();
          }
          for (int i = 0; i < passed; i++) {
            matched[s[selection[i]]] = true;
          }
          if (passed > 0) {
            out.add(passed == s.length ? pairs.share(allocator)
                : RowKind.rows(pairs, selection, passed, pairs.columnCount(), allocator));
          }
        }
      }
      if (spec.type() != JoinType.INNER) {
        int[] unmatched = new int[n];
        int count = 0;
        for (int r = 0; r < n; r++) {
          if (!matched[r]) {
            unmatched[count++] = r;
          }
        }
        if (count > 0) {
          out.add(joined(input, Arrays.copyOf(unmatched, count), null, count, kinds));
        }
      }
    } catch (RuntimeException | Error e) {
      out.forEach(Batch::close);
      throw e;
    }
    return out;
  }

  /** The rows of {@code input} a semi join passes (some table row matches), or an anti join (none does). */
  private List<Batch> passing(Batch input, int n) {
    boolean[] matched = matched(input, n);
    boolean wanted = spec.type() == JoinType.SEMI;
    int[] selection = new int[n];
    int count = 0;
    for (int r = 0; r < n; r++) {
      if (matched[r] == wanted) {
        selection[count++] = r;
      }
    }
    if (count == 0) {
      return List.of();
    }
    return List.of(count == n ? input.share(allocator)
        : RowKind.rows(input, selection, count, input.columnCount(), allocator));
  }

  /**
   * For each row of {@code input}, whether a table row of its key meets the condition; for NOT IN (null-aware)
   * also whether a null makes the comparison unknown, which excludes the row as a match does.
   */
  private boolean[] matched(Batch input, int n) {
    boolean[] matched = new boolean[n];
    boolean unknown = spec.nullAware() && table.rowCount() > 0;
    int[] streamRows = condition == null ? null : new int[Math.max(n, 16)];
    int[] tableRows = condition == null ? null : new int[streamRows.length];
    int pairs = 0;
    for (int r = 0; r < n; r++) {
      byte[] key = key(input, spec.streamKeys(), r);
      if (unknown && (key == null || tableNullKey)) {
        matched[r] = true;
        continue;
      }
      int[] found = key == null ? null : index.get(new ByteKey(key));
      if (found == null) {
        continue;
      }
      if (condition == null) {
        matched[r] = true;
        continue;
      }
      if (pairs + found.length > streamRows.length) {
        int size = Math.max(streamRows.length * 2, pairs + found.length);
        streamRows = Arrays.copyOf(streamRows, size);
        tableRows = Arrays.copyOf(tableRows, size);
      }
      for (int t : found) {
        streamRows[pairs] = r;
        tableRows[pairs++] = t;
      }
    }
    if (pairs > 0) {
      // The condition is evaluated over the candidate pairs, column by column; a row matches if one pair passes.
      try (Batch joined = joined(input, streamRows, tableRows, pairs, false)) {
        int[] selection = new int[pairs];
        int passed = condition.apply(EvalContext.all(joined, allocator), selection).count();
        for (int i = 0; i < passed; i++) {
          matched[streamRows[selection[i]]] = true;
        }
      }
    }
    return matched;
  }

  /**
   * Stream rows {@code streamRows} each with table row {@code tableRows[i]} (nulls where {@code tableRows} is
   * null), in the output's column order, with the stream rows' kinds when they have them.
   */
  private Batch joined(Batch input, int[] streamRows, int[] tableRows, int count, boolean kinds) {
    FieldVector[] stream = rows.gather(input, spec.streamSchema(), streamRows, count);
    FieldVector[] matched;
    FieldVector kind = null;
    try {
      matched = tableRows == null ? rows.nulls(tableSchema, count) : rows.gather(table, tableSchema, tableRows, count);
    } catch (RuntimeException | Error e) {
      JoinRows.closeAll(stream);
      throw e;
    }
    try {
      if (kinds) {
        kind = Vectors.gather(input.vector(input.columnCount() - 1), TypeKind.INT, streamRows, count, allocator);
      }
    } catch (RuntimeException | Error e) {
      JoinRows.closeAll(stream);
      JoinRows.closeAll(matched);
      throw e;
    }
    Batch joined = rows.joined(spec.streamLeft() ? stream : matched, spec.streamLeft() ? matched : stream, count);
    if (kind == null) {
      return joined;
    }
    List<FieldVector> columns = new ArrayList<>();
    for (int c = 0; c < joined.columnCount(); c++) {
      columns.add(joined.detach(c));
    }
    joined.close();
    columns.add(kind);
    return Batch.of(RowKind.withKind(output), columns, count);
  }

  @Override
  public void close() {
    if (table != null) {
      table.close();
      table = null;
    }
    index = Map.of();
  }
}
