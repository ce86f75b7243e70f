package io.freshet.exec.aggregate;

import io.freshet.exec.aggregate.accumulator.Accumulator;
import io.freshet.exec.batch.Batch;
import io.freshet.exec.batch.Owned;
import io.freshet.exec.state.KeyValueState;
import io.freshet.exec.state.StateStore;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * The groups of an unbounded aggregation kept in RocksDB: the grouped state in memory then holds only the groups
 * of the batch in progress, loaded from RocksDB when first touched, written back and dropped from memory at each
 * checkpoint. Complete mode reads every group back from RocksDB.
 */
final class RocksDbGroups implements AutoCloseable {
  private final KeyValueState rocks;
  private final HashAggregateOperator.Spec spec;
  private final GroupedAggregation grouped;
  private final BufferAllocator allocator;

  RocksDbGroups(KeyValueState rocks, HashAggregateOperator.Spec spec, GroupedAggregation grouped,
      BufferAllocator allocator) {
    this.rocks = rocks;
    this.spec = spec;
    this.grouped = grouped;
    this.allocator = allocator;
  }

  void restore(long version) {
    rocks.restore(version);
  }

  /**
   * Adds the groups of version {@code version} of another partition's state (before the number of partitions
   * changed) that the store's filter keeps: those of this partition's key groups.
   */
  void importFrom(StateStore store, long version) {
    rocks.importFrom(store.directory(), version, 8192, encoded -> {
      int n = encoded.size();
      List<FieldVector> keys = keyVectors();
      try {
        for (int i = 0; i < n; i++) {
          KeyValueState.decode(encoded.get(i), keys, i);
        }
        keys.forEach(v -> v.setValueCount(n));
        boolean[] kept = new boolean[n];
        try (VectorSchemaRoot root = new VectorSchemaRoot(new ArrayList<>(keys))) {
          root.setRowCount(n);
          keys.clear();
          int[] rows = new int[n];
          int count = store.filter().select(root, rows);
          for (int i = 0; i < count; i++) {
            kept[rows[i]] = true;
          }
        }
        return kept;
      } finally {
        keys.forEach(FieldVector::close);
      }
    });
  }

  /** Empty vectors for the stored key columns, to decode keys into. */
  private List<FieldVector> keyVectors() {
    List<FieldVector> keys = new ArrayList<>();
    Owned.orClose(keys, () -> {
      for (int k = 0; k < grouped.keyCount(); k++) {
        FieldVector v = spec.outputSchema().column(k).toArrowField().createVector(allocator);
        keys.add(v);
        v.allocateNew();
      }
    });
    return keys;
  }

  /** Reads from RocksDB the state of the groups {@code from..to-1}, new in memory in this batch. */
  void load(int from, int to) {
    int[] list = GroupedAggregation.range(from, to);
    List<FieldVector> keys = grouped.keyVectors(list, list.length);
    List<FieldVector> states = emptyStateVectors();
    try {
      int[] rows = rocks.lookup(keys, list.length, states);
      int column = 0;
      for (Accumulator a : grouped.accumulators()) {
        int width = a.stateFields("").size();
        List<FieldVector> mine = states.subList(column, column + width);
        for (int i = 0; i < list.length; i++) {
          if (rows[i] >= 0) {
            a.readState(mine, rows[i], list[i]);
          }
        }
        column += width;
      }
    } finally {
      keys.forEach(FieldVector::close);
      states.forEach(FieldVector::close);
    }
  }

  /** Writes every group in memory to RocksDB (deleting those whose rows were all taken back), checkpoints it as {@code version} and drops the groups from memory. */
  void checkpoint(long version) {
    storeAll();
    rocks.checkpoint(version);
    grouped.remove(grouped.all());
  }

  private void storeAll() {
    int[] list = grouped.all();
    if (list.length == 0) {
      return;
    }
    List<FieldVector> keys = grouped.keyVectors(list, list.length);
    List<FieldVector> states = new ArrayList<>();
    try {
      for (Accumulator a : grouped.accumulators()) {
        states.addAll(a.writeState(list, list.length, allocator));
      }
      boolean[] empty = null;
      if (spec.changelogInput()) {
        empty = new boolean[list.length];
        for (int i = 0; i < list.length; i++) {
          empty[i] = grouped.rows(list[i]) <= 0;
        }
      }
      rocks.put(keys, states, list.length, empty);
    } finally {
      keys.forEach(FieldVector::close);
      states.forEach(FieldVector::close);
    }
  }

  private List<FieldVector> emptyStateVectors() {
    List<FieldVector> vectors = new ArrayList<>();
    Owned.orClose(vectors, () -> {
      for (Accumulator a : grouped.accumulators()) {
        for (Field f : a.stateFields("")) {
          FieldVector v = f.createVector(allocator);
          vectors.add(v);
          v.allocateNew();
        }
      }
    });
    return vectors;
  }

  /** Complete mode: every stored group, decoded a chunk at a time into scratch accumulators. */
  void emitAll(List<Batch> out) {
    storeAll();
    int aggregates = grouped.accumulators().length;
    rocks.scan(8192, (keyBytes, stateBytes) -> {
      int n = keyBytes.size();
      Accumulator[] scratch = new Accumulator[aggregates];
      List<FieldVector> keys = keyVectors();
      List<FieldVector> states = emptyStateVectors();
      List<FieldVector> vectors = new ArrayList<>();
      try {
        for (int i = 0; i < n; i++) {
          KeyValueState.decode(keyBytes.get(i), keys, i);
          KeyValueState.decode(stateBytes.get(i), states, i);
        }
        keys.forEach(v -> v.setValueCount(n));
        int[] list = GroupedAggregation.range(0, n);
        int column = 0;
        for (int a = 0; a < aggregates; a++) {
          scratch[a] = GroupedAggregation.newAccumulator(spec, a, allocator);
          scratch[a].ensureCapacity(n);
          int width = scratch[a].stateFields("").size();
          List<FieldVector> mine = states.subList(column, column + width);
          mine.forEach(v -> v.setValueCount(n));
          for (int i = 0; i < n; i++) {
            scratch[a].readState(mine, i, i);
          }
          column += width;
        }
        vectors.addAll(keys);
        keys.clear();
        for (int a = 0; a < spec.calls().size(); a++) {
          vectors.add(scratch[a].result(list, n, spec.outputSchema().type(spec.keys().length + a), allocator));
        }
        out.add(Batch.of(spec.outputSchema(), new ArrayList<>(vectors), n));
        vectors.clear();
      } finally {
        keys.forEach(FieldVector::close);
        states.forEach(FieldVector::close);
        vectors.forEach(FieldVector::close);
      }
    });
  }

  /** The number of groups RocksDB holds, as it estimates it. */
  long estimatedKeys() {
    return rocks.estimatedKeys();
  }

  long memoryBytes() {
    return rocks.memoryBytes();
  }

  @Override
  public void close() {
    rocks.close();
  }
}
