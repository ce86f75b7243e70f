package io.freshet.exec.aggregate;

import io.freshet.exec.aggregate.accumulator.Accumulator;
import io.freshet.exec.aggregate.accumulator.Accumulators;
import io.freshet.exec.aggregate.accumulator.DistinctCount;
import io.freshet.exec.batch.Batch;
import io.freshet.exec.expr.Vectors;
import io.freshet.exec.format.ByteSink;
import io.freshet.exec.state.KeyValueRestore;
import io.freshet.exec.state.KeyValueState;
import io.freshet.exec.state.OrderedBytes;
import io.freshet.exec.state.StateStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * The groups of an aggregation kept in a {@link KeyValueState} (RocksDB): the grouped state in memory then holds only
 * the groups of the batch in progress, loaded when first touched, written back and dropped from memory at each
 * checkpoint. A group's key is its stored key columns; a windowed group's key starts with the time its window
 * closes (8 bytes that sort as the time does), so the windows the watermark closes are the first keys in order,
 * read a chunk at a time to be emitted and then deleted as one range. Complete mode reads every group back, a chunk at a time. The values that
 * COUNT(DISTINCT ...) has seen are a second key-value state: a key per (group, call, value), so a value new in
 * memory is counted only when that state does not hold it yet. Both states record their layout with each version,
 * and one written in an earlier layout is rewritten in ours when it is restored ({@link RocksDbLayoutMigration}).
 */
final class RocksDbGroups implements AutoCloseable, KeyValueRestore.Target {
  static final int CHUNK = 8192;

  private final KeyValueState rocks;
  private final HashAggregateOperator.Spec spec;
  private final GroupedAggregation grouped;
  private final AggregateOutput output;
  private final AggregateStateCodec codec;
  private final BufferAllocator allocator;
  /** The bytes before a key's columns: the close time of a windowed group, nothing otherwise. */
  private final int prefix;
  private final ByteSink scratch = new ByteSink();
  /** The (group, call, value) keys of COUNT(DISTINCT ...), or null without one. */
  private final KeyValueState distinct;
  /** Restores both states, rewriting a version written in an earlier layout. */
  private final RocksDbLayoutMigration migration;

  RocksDbGroups(KeyValueState rocks, KeyValueState distinct, HashAggregateOperator.Spec spec,
      GroupedAggregation grouped, AggregateOutput output, AggregateStateCodec codec, BufferAllocator allocator) {
    this.rocks = rocks;
    this.distinct = distinct;
    this.spec = spec;
    this.grouped = grouped;
    this.output = output;
    this.codec = codec;
    this.allocator = allocator;
    this.prefix = spec.windowed() ? 8 : 0;
    this.migration = new RocksDbLayoutMigration(rocks, distinct, spec, grouped, codec, allocator, this::storeAll,
        () -> storeDistinct(true));
    Accumulator[] accumulators = grouped.accumulators();
    for (int a = 0; a < accumulators.length; a++) {
      if (accumulators[a] instanceof DistinctCount d) {
        byte call = (byte) a;
        d.seenIn((groups, values, rows, n) -> holds(call, groups, values, rows, n));
      }
    }
  }

  /** Opens version {@code version} of the partition's checkpoint ({@link RocksDbLayoutMigration#restore}). */
  @Override
  public void restore(long version) {
    migration.restore(version);
  }

  /**
   * Adds the groups of version {@code version} of another partition's state that this partition owns ({@link
   * RocksDbLayoutMigration#importFrom}).
   */
  @Override
  public void importFrom(StateStore store, long version) {
    migration.importFrom(store, version);
  }

  /** Whether the distinct values state holds each (group, call, value) of rows {@code rows[0..n)}. */
  private boolean[] holds(byte call, int[] groups, FieldVector values, int[] rows, int n) {
    int[] list = new int[n];
    for (int i = 0; i < n; i++) {
      list[i] = groups[rows[i]];
    }
    List<byte[]> keys = pairKeys(encodedKeys(list), call, values, rows);
    int[] found = distinct.lookup(keys, List.of());
    boolean[] held = new boolean[n];
    for (int i = 0; i < n; i++) {
      held[i] = found[i] >= 0;
    }
    return held;
  }

  /** Each group key followed by the call and the value of row {@code rows[i]} of {@code values}. */
  private List<byte[]> pairKeys(List<byte[]> groupKeys, byte call, FieldVector values, int[] rows) {
    List<byte[]> keys = new ArrayList<>(groupKeys.size());
    List<FieldVector> column = List.of(values);
    for (int i = 0; i < groupKeys.size(); i++) {
      scratch.clear();
      byte[] group = groupKeys.get(i);
      scratch.put(group, 0, group.length);
      scratch.put(call);
      KeyValueState.encode(column, rows == null ? i : rows[i], scratch);
      keys.add(Arrays.copyOf(scratch.array(), scratch.length()));
    }
    return keys;
  }

  /** Writes the distinct values seen since the last write, or every one in memory when {@code all}. */
  private void storeDistinct(boolean all) {
    Accumulator[] accumulators = grouped.accumulators();
    for (int a = 0; a < accumulators.length; a++) {
      if (accumulators[a] instanceof DistinctCount d) {
        int[] entries = d.entries(all);
        if (entries.length > 0) {
          int[] groups = new int[entries.length];
          for (int i = 0; i < entries.length; i++) {
            groups[i] = d.groupOf(entries[i]);
          }
          try (FieldVector values = d.values(entries, allocator)) {
            List<byte[]> keys = pairKeys(encodedKeys(groups), (byte) a, values, null);
            distinct.write(keys, new ArrayList<>(java.util.Collections.nCopies(keys.size(), new byte[0])));
          }
        }
        d.markCommitted();
      }
    }
  }

  /** Empty vectors for the stored key columns, to decode keys into. */
  private List<FieldVector> keyVectors() {
    return Vectors.empty(codec.keyFields(codec.schema()), allocator);
  }

  /** The encoded keys of groups {@code list}. */
  private List<byte[]> encodedKeys(int[] list) {
    List<FieldVector> keys = grouped.keyVectors(list, list.length);
    try {
      List<byte[]> encoded = new ArrayList<>(list.length);
      for (int i = 0; i < list.length; i++) {
        scratch.clear();
        if (prefix > 0) {
          OrderedBytes.putLong(scratch, grouped.closeKey(list[i]) + spec.closeOffsetMs());
        }
        KeyValueState.encode(keys, i, scratch);
        encoded.add(Arrays.copyOf(scratch.array(), scratch.length()));
      }
      return encoded;
    } finally {
      keys.forEach(FieldVector::close);
    }
  }

  /** Reads the state of the groups {@code from..to-1}, new in memory in this batch. */
  void load(int from, int to) {
    int[] list = GroupedAggregation.range(from, to);
    List<FieldVector> states = emptyStateVectors();
    try {
      int[] rows = rocks.lookup(encodedKeys(list), states);
      readStates(states, rows, list);
    } finally {
      states.forEach(FieldVector::close);
    }
  }

  /** Sets each group {@code groups[i]} whose {@code rows[i]} is not -1 from that row of {@code states}. */
  private void readStates(List<FieldVector> states, int[] rows, int[] groups) {
    Accumulator[] accumulators = grouped.accumulators();
    List<List<FieldVector>> columns = Accumulators.stateColumns(accumulators, states::get, 0);
    for (int a = 0; a < accumulators.length; a++) {
      for (int i = 0; i < groups.length; i++) {
        if (rows[i] >= 0) {
          accumulators[a].readState(columns.get(a), rows[i], groups[i]);
        }
      }
    }
  }

  /** Writes every group in memory (deleting those whose rows were all taken back), checkpoints {@code version}. */
  void checkpoint(long version) {
    storeAll();
    rocks.checkpoint(version);
    if (distinct != null) {
      distinct.checkpoint(version);
    }
  }

  /** Writes every group in memory and drops them from memory. */
  private void storeAll() {
    int[] list = grouped.all();
    if (list.length == 0) {
      return;
    }
    if (distinct != null) {
      storeDistinct(false);
    }
    List<byte[]> keys = encodedKeys(list);
    List<byte[]> values = new ArrayList<>(list.length);
    List<FieldVector> states = new ArrayList<>();
    try {
      for (Accumulator a : grouped.accumulators()) {
        states.addAll(a.writeState(list, list.length, allocator));
      }
      for (int i = 0; i < list.length; i++) {
        if (spec.changelogInput() && grouped.rows(list[i]) <= 0) {
          values.add(null);
          continue;
        }
        scratch.clear();
        KeyValueState.encode(states, i, scratch);
        values.add(Arrays.copyOf(scratch.array(), scratch.length()));
      }
      rocks.write(keys, values);
    } finally {
      states.forEach(FieldVector::close);
    }
    grouped.remove(list);
  }

  private List<FieldVector> emptyStateVectors() {
    List<Field> fields = new ArrayList<>();
    for (Accumulator a : grouped.accumulators()) {
      fields.addAll(a.stateFields(""));
    }
    return Vectors.empty(fields, allocator);
  }

  /**
   * A windowed aggregation: forgets the windows whose close time the watermark reached, adding their rows to
   * {@code out} first when {@code emit}.
   */
  void closeWindows(long watermarkMs, List<Batch> out, boolean emit) {
    storeAll();
    if (emit) {
      List<byte[]> keys = new ArrayList<>();
      List<byte[]> values = new ArrayList<>();
      rocks.scanPrefix(new byte[0], (key, value) -> {
        if (OrderedBytes.getLong(key, 0) > watermarkMs) {
          return false;
        }
        keys.add(key);
        values.add(value);
        if (keys.size() == CHUNK) {
          emitChunk(keys, values, out);
        }
        return true;
      });
      if (!keys.isEmpty()) {
        emitChunk(keys, values, out);
      }
    }
    // Every key before the first close time after the watermark, in both states, without reading them.
    byte[] from = new byte[0];
    byte[] to;
    if (watermarkMs == Long.MAX_VALUE) {
      to = new byte[9];
      Arrays.fill(to, (byte) 0xFF);
    } else {
      scratch.clear();
      OrderedBytes.putLong(scratch, watermarkMs + 1);
      to = Arrays.copyOf(scratch.array(), scratch.length());
    }
    rocks.deleteRange(from, to);
    if (distinct != null) {
      distinct.deleteRange(from, to);
    }
  }

  /** Complete mode: every stored group, a chunk at a time. */
  void emitAll(List<Batch> out) {
    storeAll();
    rocks.scan(CHUNK, (keys, values) -> emitChunk(new ArrayList<>(keys), new ArrayList<>(values), out));
  }

  /** Adds the rows of the encoded groups to {@code out}, through the grouped state, and empties both lists. */
  private void emitChunk(List<byte[]> keys, List<byte[]> values, List<Batch> out) {
    int n = keys.size();
    List<FieldVector> keyVectors = keyVectors();
    List<FieldVector> states = emptyStateVectors();
    try {
      for (int i = 0; i < n; i++) {
        KeyValueState.decode(keys.get(i), prefix, keyVectors, i);
        KeyValueState.decode(values.get(i), states, i);
      }
      keyVectors.forEach(v -> v.setValueCount(n));
      states.forEach(v -> v.setValueCount(n));
      int[] groups = grouped.findStored(keyVectors.toArray(new FieldVector[0]), n);
      int[] rows = new int[n];
      for (int i = 0; i < n; i++) {
        rows[i] = i;
      }
      readStates(states, rows, groups);
      int[] sorted = groups.clone();
      Arrays.sort(sorted);
      output.emit(groups, out);
      grouped.remove(sorted);
    } finally {
      keyVectors.forEach(FieldVector::close);
      states.forEach(FieldVector::close);
      keys.clear();
      values.clear();
    }
  }

  /** The number of groups RocksDB holds, as it estimates it. */
  long estimatedKeys() {
    return rocks.estimatedKeys();
  }

  long memoryBytes() {
    return rocks.memoryBytes() + (distinct == null ? 0 : distinct.memoryBytes());
  }

  @Override
  public void close() {
    try {
      rocks.close();
    } finally {
      if (distinct != null) {
        distinct.close();
      }
    }
  }
}
