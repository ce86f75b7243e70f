package io.freshet.exec.aggregate;

import io.freshet.exec.expr.Vectors;
import io.freshet.exec.state.KeyValueRestore;
import io.freshet.exec.state.KeyValueState;
import io.freshet.exec.state.RowFilter;
import io.freshet.exec.state.StateStore;
import io.freshet.streaming.FreshetException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * How {@link RocksDbGroups} restores its states, a layout at a time. Each version of both states (the groups and the
 * values COUNT(DISTINCT ...) has seen) records the layout of its entries: the schema of the aggregation's state as
 * {@link AggregateStateCodec} has it (the key types, each accumulator's state fields, each distinct count's value
 * type). A version written in an earlier layout that the codec reads (aggregates added after the others since, or a
 * source column widened from INT to BIGINT) is rewritten in ours when it is restored: its entries are decoded in
 * their layout, a chunk at a time, handed to the codec as the memory store's files are, and written back encoded
 * in ours (an INT key of 4 bytes becomes a BIGINT one of 8, so a key looked up later finds it) into a state
 * restored empty. The checkpoint itself is only read, so a crash in the middle restores and rewrites it again.
 */
final class RocksDbLayoutMigration implements KeyValueRestore.Target {
  private final KeyValueState rocks;
  /** The (group, call, value) keys of COUNT(DISTINCT ...), or null without one. */
  private final KeyValueState distinct;
  private final HashAggregateOperator.Spec spec;
  private final GroupedAggregation grouped;
  private final AggregateStateCodec codec;
  private final BufferAllocator allocator;
  /** The bytes before a key's columns: the close time of a windowed group, nothing otherwise. */
  private final int prefix;
  /** Writes every group in memory to the groups' state and drops them from memory. */
  private final Runnable storeGroups;
  /** Writes every distinct value in memory to the distinct values' state. */
  private final Runnable storeDistinct;

  /** Records our layout with each version {@code rocks} and {@code distinct} (when not null) write from now. */
  RocksDbLayoutMigration(KeyValueState rocks, KeyValueState distinct, HashAggregateOperator.Spec spec,
      GroupedAggregation grouped, AggregateStateCodec codec, BufferAllocator allocator, Runnable storeGroups,
      Runnable storeDistinct) {
    this.rocks = rocks;
    this.distinct = distinct;
    this.spec = spec;
    this.grouped = grouped;
    this.codec = codec;
    this.allocator = allocator;
    this.prefix = spec.windowed() ? 8 : 0;
    this.storeGroups = storeGroups;
    this.storeDistinct = storeDistinct;
    String layout = codec.schema().toJson();
    rocks.recordLayout(layout);
    if (distinct != null) {
      distinct.recordLayout(layout);
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
    state.readFrom(from, version, RocksDbGroups.CHUNK, (keys, values) -> {
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
    storeGroups.run();
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
    storeDistinct.run();
    grouped.remove(grouped.all());
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
    into.importFrom(from, version, RocksDbGroups.CHUNK, encoded -> owned(encoded, codec.keyFields(codec.schema()),
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
}
