package io.freshet.exec.aggregate;

import io.freshet.exec.aggregate.accumulator.Accumulator;
import io.freshet.exec.aggregate.accumulator.DistinctCount;
import io.freshet.exec.batch.Owned;
import io.freshet.exec.state.StateStore;
import io.freshet.exec.types.Column;
import io.freshet.exec.types.TypeKind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.arrow.vector.util.TransferPair;

/**
 * The checkpoint of a {@link GroupedAggregation} in a {@link StateStore}. Every section has one schema: the row
 * kind, the stored keys {@code k0..}, each aggregate's state fields {@code a<i>_...} and, after a COUNT(DISTINCT),
 * a column {@code d<i>} of its values. A section's kind says what its rows are: upserts of whole groups, deletes of
 * evicted keys, or the distinct values of aggregate {@code i} (kind {@code DISTINCT + i}); the columns a section
 * does not use are null. A snapshot writes every group; a delta the changed groups and the deletes.
 *
 * <p>The schema is also the layout that {@link RocksDbGroups} records with each version of its RocksDB state, and
 * what it reads back in an earlier layout it hands to {@link #apply} as sections of that layout: both stores carry
 * an added aggregate or a widened column by the same code.
 */
final class AggregateStateCodec {
  static final int UPSERT = 0;
  private static final int DELETE = 1;
  static final int DISTINCT = 2;
  private static final Pattern ACCUMULATOR_FIELD = Pattern.compile(
      "^(?:a(\\d+)_.*|d(\\d+))$");

  private final GroupedAggregation grouped;
  private final BufferAllocator allocator;
  private final Schema stateSchema;

  AggregateStateCodec(GroupedAggregation grouped, BufferAllocator allocator) {
    this.grouped = grouped;
    this.allocator = allocator;
    TypeKind[] keyTypes = grouped.table().types();
    Accumulator[] accumulators = grouped.accumulators();
    List<Field> fields = new ArrayList<>();
    fields.add(Column.of("kind", TypeKind.INT).toArrowField());
    for (int i = 0; i < keyTypes.length; i++) {
      fields.add(Column.of("k" + i, keyTypes[i]).toArrowField());
    }
    for (int i = 0; i < accumulators.length; i++) {
      fields.addAll(accumulators[i].stateFields("a" + i + "_"));
      if (accumulators[i] instanceof DistinctCount d) {
        fields.add(Column.of("d" + i, d.valueType()).toArrowField());
      }
    }
    this.stateSchema = new Schema(fields);
  }

  /** The schema of the state: the layout of this aggregation's state. */
  Schema schema() {
    return stateSchema;
  }

  /** The key fields of a state schema (ours, or an earlier one): after the row kind, the stored keys. */
  List<Field> keyFields(Schema file) {
    return file.getFields().subList(1, 1 + grouped.keyCount());
  }

  /** The accumulators' state fields of a state schema ({@code a<i>_...}), in its order. */
  static List<Field> accumulatorFields(Schema file) {
    return file.getFields().stream().filter(f -> f.getName().startsWith("a") && accumulatorIndex(f) >= 0).toList();
  }

  /** After the row kind, the stored keys by which the input is hashed ({@link GroupedAggregation#hashedKeys}). */
  int[] keyColumns() {
    return IntStream.of(grouped.hashedKeys()).map(k -> k + 1).toArray();
  }

  /** Writes version {@code version}: a snapshot when the store says one is due, otherwise a delta. */
  void commit(StateStore store, long version) {
    Accumulator[] accumulators = grouped.accumulators();
    boolean snapshot = store.snapshotDue(version);
    List<VectorSchemaRoot> sections = new ArrayList<>();
    try {
      sections.add(upsertSection(snapshot ? grouped.all() : grouped.changed()));
      if (!snapshot) {
        for (List<FieldVector> keys : grouped.pendingDeletes()) {
          sections.add(keySection(DELETE, keys, keys.get(0).getValueCount(), -1, null));
        }
      }
      for (int a = 0; a < accumulators.length; a++) {
        if (accumulators[a] instanceof DistinctCount d) {
          int[] entries = d.entries(snapshot);
          int[] owners = new int[entries.length];
          for (int i = 0; i < entries.length; i++) {
            owners[i] = d.groupOf(entries[i]);
          }
          List<FieldVector> keys = grouped.keyVectors(owners, owners.length);
          sections.add(keySection(DISTINCT + a, keys, entries.length, a, d.values(entries, allocator)));
        }
      }
      store.write(version, snapshot, sections);
    } finally {
      sections.forEach(VectorSchemaRoot::close);
    }
    grouped.committed();
    for (Accumulator a : accumulators) {
      if (a instanceof DistinctCount d) {
        d.markCommitted();
      }
    }
  }

  private VectorSchemaRoot upsertSection(int[] list) {
    Accumulator[] accumulators = grouped.accumulators();
    int n = list.length;
    List<FieldVector> vectors = new ArrayList<>();
    Owned.orClose(vectors, () -> {
      vectors.add(kinds(UPSERT, n));
      vectors.addAll(grouped.keyVectors(list, n));
      for (int a = 0; a < accumulators.length; a++) {
        vectors.addAll(accumulators[a].writeState(list, n, allocator));
        if (accumulators[a] instanceof DistinctCount) {
          vectors.add(nulls(stateSchema.getFields().get(vectors.size()), n));
        }
      }
    });
    return root(vectors, n);
  }

  /**
   * A section of key rows: deletes, or the distinct values of aggregate {@code distinctOf} in {@code values}. It
   * takes over {@code keys} and {@code values}.
   */
  private VectorSchemaRoot keySection(int kind, List<FieldVector> keys, int n, int distinctOf, FieldVector values) {
    Accumulator[] accumulators = grouped.accumulators();
    List<FieldVector> owned = new ArrayList<>(keys);
    if (values != null) {
      owned.add(values);
    }
    List<FieldVector> vectors = new ArrayList<>();
    Owned.orClose(owned, () -> {
      vectors.add(kinds(kind, n));
      owned.add(vectors.get(0));
      vectors.addAll(keys);
      for (int a = 0; a < accumulators.length; a++) {
        for (int s = 0; s < accumulators[a].stateFields("").size(); s++) {
          vectors.add(nulls(stateSchema.getFields().get(vectors.size()), n));
          owned.add(vectors.get(vectors.size() - 1));
        }
        if (accumulators[a] instanceof DistinctCount) {
          vectors.add(a == distinctOf ? values : nulls(stateSchema.getFields().get(vectors.size()), n));
          if (a != distinctOf) {
            owned.add(vectors.get(vectors.size() - 1));
          }
        }
      }
    });
    return root(vectors, n);
  }

  /** Takes over {@code vectors}: each is moved into a vector named as the state schema names it. */
  private VectorSchemaRoot root(List<FieldVector> vectors, int n) {
    List<FieldVector> named = new ArrayList<>();
    List<FieldVector> all = new ArrayList<>(vectors);
    Owned.orClose(all, () -> {
      for (int i = 0; i < vectors.size(); i++) {
        FieldVector v = vectors.get(i);
        Field field = stateSchema.getFields().get(i);
        TransferPair pair = v.getTransferPair(field, allocator);
        all.add((FieldVector) pair.getTo());
        pair.transfer();
        v.close();
        named.add((FieldVector) pair.getTo());
      }
    });
    VectorSchemaRoot root = new VectorSchemaRoot(stateSchema.getFields(), named, n);
    root.setRowCount(n);
    return root;
  }

  private IntVector kinds(int kind, int n) {
    IntVector v = new IntVector("kind", allocator);
    v.allocateNew(Math.max(n, 1));
    for (int i = 0; i < n; i++) {
      v.set(i, kind);
    }
    v.setValueCount(n);
    return v;
  }

  private FieldVector nulls(Field field, int n) {
    FieldVector v = field.createVector(allocator);
    v.setInitialCapacity(Math.max(n, 1));
    v.allocateNew();
    v.setValueCount(n);
    return v;
  }

  /**
   * Adds the groups of version {@code version} (at least 0) to the grouped state. State written before aggregates
   * were added after the others is taken too: the added aggregates start empty in the groups it holds.
   */
  void restore(StateStore store, long version) {
    store.restore(version, stateSchema, this::reads, this::apply);
    grouped.restored();
  }

  /**
   * Whether {@link #apply} reads state of schema {@code file}: ours, or ours before aggregates were added after the
   * others or before a source column was widened from INT to BIGINT.
   */
  boolean reads(Schema file) {
    Schema read = widened(file);
    return read.equals(stateSchema) || earlierLayout(read);
  }

  /**
   * The accumulator of the file's schema that holds the state of each of ours, by their field names ({@code
   * a<i>_...}): the same index, except that a hidden row count (the last, in update mode) may have been last
   * with fewer aggregates before it; -1 for an aggregate the file does not hold.
   */
  private int[] sources(Schema file) {
    Accumulator[] accumulators = grouped.accumulators();
    int held = 0;
    for (Field f : file.getFields()) {
      held = Math.max(held, accumulatorIndex(f) + 1);
    }
    boolean counter = accumulators.length > grouped.callCount();
    int[] from = new int[accumulators.length];
    for (int a = 0; a < accumulators.length; a++) {
      boolean isCounter = counter && a == accumulators.length - 1;
      from[a] = isCounter ? held - 1 : a < held - (counter ? 1 : 0) ? a : -1;
    }
    return from;
  }

  /**
   * Whether {@code file} is our schema before aggregates were added after the others: the same row kind and keys,
   * and for each accumulator it holds, the same fields under its own index.
   */
  private boolean earlierLayout(Schema file) {
    int[] from = sources(file);
    List<Field> expected = new ArrayList<>(stateSchema.getFields().subList(0, 1 + grouped.keyCount()));
    Accumulator[] accumulators = grouped.accumulators();
    for (int a = 0; a < accumulators.length; a++) {
      if (from[a] >= 0) {
        expected.addAll(accumulators[a].stateFields("a" + from[a] + "_"));
        if (accumulators[a] instanceof DistinctCount d) {
          expected.add(Column.of("d" + from[a], d.valueType()).toArrowField());
        }
      }
    }
    return Arrays.stream(from).anyMatch(f -> f < 0) && sortedByIndex(expected).equals(file.getFields());
  }

  /**
   * The file's schema with the INT keys and distinct values that are BIGINT now (a source column widened) read as
   * BIGINT: they hash and compare alike, and {@link #apply} widens their vectors.
   */
  private Schema widened(Schema file) {
    List<Field> fields = new ArrayList<>(file.getFields());
    boolean changed = false;
    for (int i = 0; i < fields.size(); i++) {
      Field f = fields.get(i);
      if (!f.getName().equals("kind") && f.getType().equals(TypeKind.INT.arrowType())) {
        Field wide = Column.of(f.getName(), TypeKind.BIGINT).toArrowField();
        if (stateSchema.getFields().contains(wide)) {
          fields.set(i, wide);
          changed = true;
        }
      }
    }
    return changed ? new Schema(fields) : file;
  }

  /**
   * A vector of the file widened to BIGINT where our schema has {@code ours} BIGINT and the file INT (the same vector
   * when it needs nothing).
   */
  private FieldVector widened(FieldVector v, ArrowType ours, List<FieldVector> made) {
    if (!(v instanceof IntVector narrow) || !ours.equals(TypeKind.BIGINT.arrowType())) {
      return v;
    }
    int n = narrow.getValueCount();
    BigIntVector wide = new BigIntVector(Column.of(v.getName(), TypeKind.BIGINT).toArrowField(), allocator);
    made.add(wide);
    wide.allocateNew(Math.max(n, 1));
    for (int i = 0; i < n; i++) {
      if (narrow.isNull(i)) {
        wide.setNull(i);
      } else {
        wide.set(i, narrow.get(i));
      }
    }
    wide.setValueCount(n);
    return wide;
  }

  /** Fields as the file lists them: the row kind, the keys, then the accumulators in the file's order. */
  private static List<Field> sortedByIndex(List<Field> fields) {
    List<Field> out = new ArrayList<>(fields);
    out.sort(Comparator.comparingInt(AggregateStateCodec::accumulatorIndex));
    return out;
  }

  /** The accumulator a field belongs to (from {@code a<i>_} or {@code d<i>}), or -1 for the kind and the keys. */
  private static int accumulatorIndex(Field f) {
    Matcher m = ACCUMULATOR_FIELD.matcher(f.getName());
    return !m.matches() ? -1 : Integer.parseInt(m.group(1) != null ? m.group(1) : m.group(2));
  }

  /**
   * Adds a section of state (of our schema, or of one that {@link #reads} reads) to the grouped state: upserts of
   * whole groups, deletes of keys, or the distinct values of one aggregate.
   */
  void apply(VectorSchemaRoot root) {
    if (root.getRowCount() == 0) {
      return;
    }
    List<FieldVector> made = new ArrayList<>();
    try {
      apply(root, made);
    } finally {
      made.forEach(FieldVector::close);
    }
  }

  private void apply(VectorSchemaRoot root, List<FieldVector> made) {
    int n = root.getRowCount();
    KeyTable table = grouped.table();
    Accumulator[] accumulators = grouped.accumulators();
    Schema schema = widened(root.getSchema());
    int[] from = schema.equals(stateSchema) ? null : sources(schema);
    int kind = ((IntVector) root.getVector(0)).get(0);
    FieldVector[] keys = new FieldVector[grouped.keyCount()];
    for (int k = 0; k < keys.length; k++) {
      keys[k] = widened(root.getVector(1 + k), stateSchema.getFields().get(1 + k).getType(), made);
    }
    if (kind == DELETE) {
      int[] found = new int[n];
      int m = 0;
      for (int i = 0; i < n; i++) {
        int g = table.find(keys, i);
        if (g >= 0) {
          found[m++] = g;
        }
      }
      int[] removed = Arrays.stream(found, 0, m).distinct().sorted().toArray();
      grouped.remove(removed);
      return;
    }
    int[] owners = new int[n];
    table.findOrInsert(keys, n, owners);
    for (int a = 0; a < accumulators.length; a++) {
      Accumulator acc = accumulators[a];
      acc.ensureCapacity(table.size());
      int held = from == null ? a : from[a];
      if (held < 0) {
        continue; // added since the file was written: it starts empty in these groups
      }
      List<FieldVector> state = new ArrayList<>();
      for (Field f : acc.stateFields("a" + held + "_")) {
        state.add(root.getVector(f.getName()));
      }
      if (kind == UPSERT) {
        for (int i = 0; i < n; i++) {
          acc.readState(state, i, owners[i]);
        }
      }
      if (acc instanceof DistinctCount d && kind == DISTINCT + held) {
        int[] sel = new int[n];
        for (int i = 0; i < n; i++) {
          sel[i] = i;
        }
        d.restore(owners, widened(root.getVector("d" + held), d.valueType().arrowType(), made), sel, n);
      }
    }
  }
}
