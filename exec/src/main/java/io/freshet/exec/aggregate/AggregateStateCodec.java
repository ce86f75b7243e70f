package io.freshet.exec.aggregate;

import io.freshet.exec.aggregate.accumulator.Accumulator;
import io.freshet.exec.aggregate.accumulator.DistinctCount;
import io.freshet.exec.batch.Owned;
import io.freshet.exec.state.StateStore;
import io.freshet.exec.types.Column;
import io.freshet.exec.types.TypeKind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.arrow.vector.util.TransferPair;

/**
 * The checkpoint of a {@link GroupedAggregation} in a {@link StateStore}. Every section has one schema: the row
 * kind, the stored keys {@code k0..}, each aggregate's state fields {@code a<i>_...} and, after a COUNT(DISTINCT),
 * a column {@code d<i>} of its values. A section's kind says what its rows are: upserts of whole groups, deletes of
 * evicted keys, or the distinct values of aggregate {@code i} (kind {@code DISTINCT + i}); the columns a section
 * does not use are null. A snapshot writes every group; a delta the changed groups and the deletes.
 */
final class AggregateStateCodec {
  private static final int UPSERT = 0;
  private static final int DELETE = 1;
  private static final int DISTINCT = 2;

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

  /** After the row kind, the stored keys. */
  int[] keyColumns() {
    return IntStream.rangeClosed(1, grouped.keyCount()).toArray();
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

  /** Adds the groups of version {@code version} (at least 0) to the grouped state. */
  void restore(StateStore store, long version) {
    store.restore(version, stateSchema, this::apply);
    grouped.restored();
  }

  private void apply(VectorSchemaRoot root) {
    int n = root.getRowCount();
    if (n == 0) {
      return;
    }
    KeyTable table = grouped.table();
    Accumulator[] accumulators = grouped.accumulators();
    int kind = ((IntVector) root.getVector(0)).get(0);
    FieldVector[] keys = new FieldVector[grouped.keyCount()];
    for (int k = 0; k < keys.length; k++) {
      keys[k] = root.getVector(1 + k);
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
    int column = 1 + keys.length;
    for (int a = 0; a < accumulators.length; a++) {
      Accumulator acc = accumulators[a];
      acc.ensureCapacity(table.size());
      int width = acc.stateFields("").size();
      List<FieldVector> state = new ArrayList<>();
      for (int s = 0; s < width; s++) {
        state.add(root.getVector(column + s));
      }
      column += width;
      if (kind == UPSERT) {
        for (int i = 0; i < n; i++) {
          acc.readState(state, i, owners[i]);
        }
      }
      if (acc instanceof DistinctCount d) {
        if (kind == DISTINCT + a) {
          int[] sel = new int[n];
          for (int i = 0; i < n; i++) {
            sel[i] = i;
          }
          d.restore(owners, root.getVector(column), sel, n);
        }
        column++;
      }
    }
  }
}
