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
import io.freshet.exec.state.RowFilter;
import io.freshet.exec.state.StateStore;
import io.freshet.streaming.FreshetException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * The groups of an aggregation kept in a {@link KeyValueState} (RocksDB): the grouped state in memory then holds only
 * the groups of the batch in progress, loaded when first touched, written back and dropped from memory at each
 * checkpoint. A group's key is its stored key columns; a windowed group's key starts with the time its window
 * closes (8 bytes that sort as the time does), so the windows the watermark closes are the first keys in order,
 * read a chunk at a time to be emitted and then deleted as one range. Complete mode reads every group back, a chunk at a time. The values that
 * COUNT(DISTINCT ...) has seen are a second key-value state: a key per (group, call, value), so a value new in
 * memory is counted only when that state does not hold it yet.
 *
 * <p>Each version of both states records the layout of its entries: the schema of the aggregation's state as
 * {@link AggregateStateCodec} has it (the key types, each accumulator's state fields, each distinct count's value
 * type). A version written in an earlier layout that the codec reads (aggregates added after the others since, or a
 * source column widened from INT to BIGINT) is rewritten in ours when it is restored: its entries are decoded in
 * their layout, a chunk at a time, handed to the codec as the memory store's files are, and written back encoded
 * in ours (an INT key of 4 bytes becomes a BIGINT one of 8, so a key looked up later finds it) into a state
 * restored empty. The checkpoint itself is only read, so a crash in the middle restores and rewrites it again.
 */
final class RocksDbGroups implements AutoCloseable, KeyValueRestore.Target {
  private static final int CHUNK = 8192;

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
    String layout = codec.schema().toJson();
    rocks.recordLayout(layout);
    if (distinct != null) {
      distinct.recordLayout(layout);
    }
    Accumulator[] accumulators = grouped.accumulators();
    for (int a = 0; a < accumulators.length; a++) {
      if (accumulators[a] instanceof DistinctCount d) {
        byte call = (byte) a;
        d.seenIn((groups, values, rows, n) -> holds(call, groups, values, rows, n));
      }
    }
  }

  /**
   * Opens version {@code version} of the partition's checkpoint. The values COUNT(DISTINCT ...) has seen start
   * empty when the groups of that version were written without a distinct count (one added since): their layout
   * says so, not the absence of the files, so a distinct state missing from a version that had one is refused.
   */
  @Override
  public void restore(long version) {
    restore(rocks, version, false);
    if (distinct != null) {
      restore(distinct, version >= 0 && heldDistinct(rocks.directory(), version) ? version : -1, true);
    }
  }

  /**
   * Whether version {@code version} of the groups in {@code from} was written with a distinct count, so that the
   * distinct values state beside it has that version too: its layout has a column {@code d<i>}. A version that
   * records no layout is taken to have one when this query does (such state is not migrated).
   */
  private boolean heldDistinct(Path from, long version) {
    String recorded = rocks.layout(from, version);
    return recorded == null || parse(recorded, from).getFields().stream()
        .anyMatch(f -> f.getName().matches("d\\d+"));
  }

  /** A recorded layout, refused when it does not parse. */
  private Schema parse(String recorded, Path from) {
    try {
      return Schema.fromJSON(recorded);
    } catch (IOException e) {
      throw FreshetException.user("The RocksDB state of " + spec.describe() + " in " + from + " records a layout "
          + "that does not parse (" + e.getMessage() + "); restore the checkpoint from a backup, or start the query "
          + "with a new checkpoint location");
    }
  }

  /**
   * Opens version {@code version} of the checkpoint of {@code state} (the distinct values' when {@code pairs}); one
   * written in an earlier layout is rewritten in ours into the state restored empty.
   */
  private void restore(KeyValueState state, long version, boolean pairs) {
    Schema earlier = earlierLayout(state, state.directory(), version);
    if (earlier == null) {
      state.restore(version);
      return;
    }
    state.restore(-1);
    rewrite(state, state.directory(), version, earlier, null, pairs);
  }

  /**
   * The layout that version {@code version} of the checkpoint of {@code state} in {@code from} recorded, when it is
   * not ours, or null when it is ours. A version that recorded none was written before layouts were recorded, and
   * is read as ours (EXPLAIN UPGRADE and the start refuse to migrate such state). A layout the codec cannot read is
   * refused.
   */
  private Schema earlierLayout(KeyValueState state, Path from, long version) {
    String recorded = version < 0 ? null : state.layout(from, version);
    if (recorded == null) {
      return null;
    }
    Schema layout = parse(recorded, from);
    if (layout.equals(codec.schema())) {
      return null;
    }
    if (!codec.reads(layout)) {
      throw FreshetException.user("The RocksDB state of " + spec.describe() + " in " + from + " was written with "
          + "state columns " + layout.getFields() + ", and this query has " + codec.schema().getFields()
          + StateStore.CANNOT_FOLLOW);
    }
    return layout;
  }

  /**
   * Adds the entries of version {@code version} of the checkpoint in {@code from}, written in layout {@code
   * earlier}, to {@code state} in ours: a chunk at a time, decoded in their layout into a section of it, applied to
   * the grouped state by the codec, and written back; only the rows {@code filter} selects (all when null).
   */
  private void rewrite(KeyValueState state, Path from, long version, Schema earlier, RowFilter filter,
      boolean pairs) {
    state.readFrom(from, version, CHUNK, (keys, values) -> {
      boolean[] kept = filter == null ? null : owned(keys, codec.keyFields(earlier), filter);
      if (pairs) {
        rewritePairs(keys, kept, earlier);
      } else {
        rewriteGroups(keys, values, kept, earlier);
      }
    });
  }

  /** Rewrites group entries of layout {@code earlier} (those {@code kept}, or all) in ours. */
  private void rewriteGroups(List<byte[]> keys, List<byte[]> values, boolean[] kept, Schema earlier) {
    try (VectorSchemaRoot section = VectorSchemaRoot.create(earlier, allocator)) {
      section.allocateNew();
      IntVector kinds = (IntVector) section.getVector(0);
      List<FieldVector> keyVectors = section.getFieldVectors().subList(1, 1 + grouped.keyCount());
      List<FieldVector> states = AggregateStateCodec.accumulatorFields(earlier).stream()
          .map(f -> section.getVector(f.getName())).toList();
      int n = 0;
      for (int i = 0; i < keys.size(); i++) {
        if (kept == null || kept[i]) {
          kinds.setSafe(n, AggregateStateCodec.UPSERT);
          KeyValueState.decode(keys.get(i), prefix, keyVectors, n);
          KeyValueState.decode(values.get(i), states, n);
          n++;
        }
      }
      section.setRowCount(n);
      codec.apply(section);
    }
    storeAll();
  }

  /**
   * Rewrites (group, call, value) entries of layout {@code earlier} (those {@code kept}, or all) in ours: a section
   * of each call's values, applied by the codec, then the values of every group written back.
   */
  private void rewritePairs(List<byte[]> keys, boolean[] kept, Schema earlier) {
    int n = keys.size();
    int[] calls = new int[n];
    int[] valueAt = new int[n];
    List<FieldVector> groupKeys = Vectors.empty(codec.keyFields(earlier), allocator);
    try {
      for (int i = 0; i < n; i++) {
        int end = KeyValueState.decode(keys.get(i), prefix, groupKeys, i);
        calls[i] = keys.get(i)[end];
        valueAt[i] = end + 1;
      }
      groupKeys.forEach(v -> v.setValueCount(n));
      for (int call : Arrays.stream(calls).distinct().toArray()) {
        try (VectorSchemaRoot section = VectorSchemaRoot.create(earlier, allocator)) {
          section.allocateNew();
          IntVector kinds = (IntVector) section.getVector(0);
          List<FieldVector> value = List.of(section.getVector("d" + call));
          int m = 0;
          for (int i = 0; i < n; i++) {
            if (calls[i] == call && (kept == null || kept[i])) {
              kinds.setSafe(m, AggregateStateCodec.DISTINCT + call);
              for (int k = 0; k < groupKeys.size(); k++) {
                section.getVector(1 + k).copyFromSafe(i, m, groupKeys.get(k));
              }
              KeyValueState.decode(keys.get(i), valueAt[i], value, m);
              m++;
            }
          }
          section.setRowCount(m);
          codec.apply(section);
        }
      }
    } finally {
      groupKeys.forEach(FieldVector::close);
    }
    storeDistinct(true);
    grouped.remove(grouped.all());
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

  /**
   * Adds the groups of version {@code version} of another partition's state (before the number of partitions
   * changed) that the store's filter keeps: those of this partition's key groups.
   */
  @Override
  public void importFrom(StateStore store, long version) {
    importFrom(rocks, store.directory(), store, version, false);
    // Gathered into a state restored empty: a distinct count added since has no values there to add.
    if (distinct != null && heldDistinct(store.directory(), version)) {
      importFrom(distinct, store.directory().resolve("distinct"), store, version, true);
    }
  }

  private void importFrom(KeyValueState into, Path from, StateStore store, long version, boolean pairs) {
    Schema earlier = earlierLayout(into, from, version);
    if (earlier != null) {
      rewrite(into, from, version, earlier, store.filter(), pairs);
      return;
    }
    into.importFrom(from, version, CHUNK, encoded -> owned(encoded, codec.keyFields(codec.schema()),
        store.filter()));
  }

  /**
   * Which of the encoded keys (of fields {@code keyFields}: ours, or an earlier layout's, whose INT keys the filter
   * hashes as the BIGINT they are now) {@code filter} selects: those of this partition's key groups.
   */
  private boolean[] owned(List<byte[]> encoded, List<Field> keyFields, RowFilter filter) {
    int n = encoded.size();
    List<FieldVector> keys = Vectors.empty(keyFields, allocator);
    try {
      for (int i = 0; i < n; i++) {
        KeyValueState.decode(encoded.get(i), prefix, keys, i);
      }
      keys.forEach(v -> v.setValueCount(n));
      int[] rows = new int[n];
      int count = filter.select(new VectorSchemaRoot(keyFields, keys, n), rows);
      boolean[] kept = new boolean[n];
      for (int i = 0; i < count; i++) {
        kept[rows[i]] = true;
      }
      return kept;
    } finally {
      keys.forEach(FieldVector::close);
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
