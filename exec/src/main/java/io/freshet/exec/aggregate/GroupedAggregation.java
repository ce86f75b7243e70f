package io.freshet.exec.aggregate;

import io.freshet.exec.aggregate.accumulator.Accumulator;
import io.freshet.exec.aggregate.accumulator.Accumulators;
import io.freshet.exec.aggregate.accumulator.Count;
import io.freshet.exec.aggregate.accumulator.DistinctCount;
import io.freshet.exec.batch.Batch;
import io.freshet.exec.batch.Owned;
import io.freshet.exec.types.TypeKind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;

/**
 * The groups of a GROUP BY and their aggregates: a {@link KeyTable} of the stored keys (those not derived from the
 * close key) gives each group a dense id, and an {@link Accumulator} per aggregate call holds its running values.
 * It also tracks what changed since the last checkpoint: the groups updated, which groups the checkpoint holds, and
 * the keys of those evicted since, which the next delta deletes.
 */
final class GroupedAggregation {
  private final HashAggregateOperator.Spec spec;
  private final BufferAllocator allocator;
  private final KeyTable table;
  /** The indexes in {@code spec.keys()} of the keys the table stores, and the close key among them. */
  private final int[] stored;
  private final int closeStored;
  private final Accumulator[] accumulators;
  private final FilteredRows filtered;
  private int[] groups = new int[0];
  private boolean[] dirty = new boolean[16];
  private int[] dirtyList = new int[16];
  /** Whether a group is in the checkpoint (so that evicting it needs a delete in the next delta). */
  private boolean[] persisted = new boolean[16];
  private int dirtyCount;
  private final List<List<FieldVector>> pendingDeletes = new ArrayList<>();

  GroupedAggregation(HashAggregateOperator.Spec spec, BufferAllocator allocator) {
    this.spec = spec;
    this.allocator = allocator;
    this.stored = IntStream.range(0, spec.keys().length)
        .filter(k -> spec.derivedFromClose()[k] == HashAggregateOperator.NOT_DERIVED).toArray();
    int close = -1;
    TypeKind[] keyTypes = new TypeKind[stored.length];
    for (int i = 0; i < stored.length; i++) {
      keyTypes[i] = spec.outputSchema().type(stored[i]);
      if (stored[i] == spec.closeKey()) {
        close = i;
      }
    }
    this.closeStored = close;
    this.table = new KeyTable(keyTypes);
    this.filtered = new FilteredRows(allocator);
    this.accumulators = new Accumulator[spec.calls().size() + (spec.countsRows() ? 1 : 0)];
    for (int i = 0; i < accumulators.length; i++) {
      accumulators[i] = newAccumulator(spec, i, allocator);
    }
  }

  /**
   * A new accumulator for aggregate {@code a} of {@code spec}: one per call, then, when the spec {@link
   * HashAggregateOperator.Spec#countsRows() counts rows}, a COUNT(*) that no output shows.
   */
  static Accumulator newAccumulator(HashAggregateOperator.Spec spec, int a, BufferAllocator allocator) {
    if (a == spec.calls().size()) {
      return Accumulators.create(ROW_COUNT);
    }
    AggregateCall call = spec.calls().get(a);
    return call.kind() == AggregateCall.Kind.COUNT_DISTINCT
        ? new DistinctCount(call.argumentType(), allocator) : Accumulators.create(call);
  }

  private static final AggregateCall ROW_COUNT = new AggregateCall(AggregateCall.Kind.COUNT, -1, TypeKind.BIGINT,
      TypeKind.BIGINT);

  /** The number of rows in {@code group} (a spec that {@code countsRows} only): 0 or less once all were taken back. */
  long rows(int group) {
    return ((Count) accumulators[spec.calls().size()]).count(group);
  }

  /** The number of groups in memory, ids {@code 0..size-1}. */
  int size() {
    return table.size();
  }

  /** The number of the query's aggregates (the accumulators may end with a hidden row count after them). */
  int callCount() {
    return spec.calls().size();
  }

  /** The number of stored key columns. */
  int keyCount() {
    return stored.length;
  }

  KeyTable table() {
    return table;
  }

  /** The output column of stored key {@code k}. */
  io.freshet.exec.types.Column storedKeyColumn(int k) {
    return spec.outputSchema().column(stored[k]);
  }

  /**
   * Finds or adds the groups of the stored keys {@code keys[..][0..n)} (read back from a key-value state), with
   * room for them in every accumulator, and returns their ids.
   */
  int[] findStored(FieldVector[] keys, int n) {
    int[] ids = new int[n];
    table.findOrInsert(keys, n, ids);
    for (Accumulator accumulator : accumulators) {
      accumulator.ensureCapacity(table.size());
    }
    ensureGroupArrays(table.size());
    return ids;
  }

  /** The accumulators, one per aggregate call in the spec's order (the array itself, not a copy). */
  Accumulator[] accumulators() {
    return accumulators;
  }

  /**
   * The indexes of the stored keys by which the input is hashed into partitions: all of them, but the close key of
   * the slices of a hopping window ({@link HopSlicing}).
   */
  int[] hashedKeys() {
    return IntStream.range(0, stored.length).filter(k -> spec.slices() == null || k != closeStored).toArray();
  }

  /** The index among the stored keys of the close key. */
  int closeStored() {
    return closeStored;
  }

  /** The value of the close key of {@code group}. */
  long closeKey(int group) {
    return table.longValue(closeStored, group);
  }

  /**
   * Finds the group of each row of {@code input} ({@link #accumulate} folds them in), adding groups for keys not
   * seen before, with room for them in every accumulator.
   */
  void findGroups(Batch input) {
    FieldVector[] keyVectors = new FieldVector[stored.length];
    for (int k = 0; k < keyVectors.length; k++) {
      keyVectors[k] = input.vector(spec.keys()[stored[k]]);
    }
    findGroups(keyVectors, input.rowCount());
  }

  /** As above, for the stored key columns {@code keyVectors} of {@code n} rows (partial rows lead with them). */
  void findGroups(FieldVector[] keyVectors, int n) {
    if (groups.length < n) {
      groups = new int[n];
    }
    table.findOrInsert(keyVectors, n, groups);
    for (Accumulator accumulator : accumulators) {
      accumulator.ensureCapacity(table.size());
    }
  }

  /** The groups {@link #findGroups} found for the rows of the last batch (the array is reused). */
  int[] groups() {
    return groups;
  }

  /**
   * Folds the rows of {@code input}, whose groups {@link #findGroups} found, into the aggregates, or takes them back
   * out when {@code retract} (-U and -D rows of a changelog); an aggregate with a FILTER reads only the rows it lets
   * in. A group exists for every key found, so a filtered aggregate whose rows were all filtered out is empty (a
   * COUNT of 0, a SUM of NULL), as in SQL.
   */
  void accumulate(Batch input, boolean retract) {
    int n = input.rowCount();
    for (int a = 0; a < accumulators.length; a++) {
      AggregateCall call = a < spec.calls().size() ? spec.calls().get(a) : ROW_COUNT;
      filtered.fold(accumulators[a], call, input, null, groups, n, retract);
    }
    markChanged(n);
  }

  /**
   * Merges partial rows (the stored keys, then each accumulator's state, as {@link #partialRows} writes them), whose
   * groups {@link #findGroups} found, into the aggregates.
   */
  void mergePartials(Batch partial) {
    int n = partial.rowCount();
    List<List<FieldVector>> states = Accumulators.stateColumns(accumulators, partial::vector, stored.length);
    for (int a = 0; a < accumulators.length; a++) {
      accumulators[a].mergeState(groups, states.get(a), n, table.size());
    }
    markChanged(n);
  }

  /** Every group in memory as a partial row: its stored keys, then each accumulator's state. */
  List<FieldVector> partialRows() {
    int[] all = all();
    List<FieldVector> vectors = keyVectors(all, all.length);
    Owned.orClose(vectors, () -> {
      for (Accumulator a : accumulators) {
        vectors.addAll(a.writeState(all, all.length, allocator));
      }
    });
    return vectors;
  }

  /** Marks the groups of the last {@code n} rows found as changed since the checkpoint. */
  private void markChanged(int n) {
    ensureGroupArrays(table.size());
    for (int i = 0; i < n; i++) {
      int g = groups[i];
      if (!dirty[g]) {
        dirty[g] = true;
        dirtyList[dirtyCount++] = g;
      }
    }
  }

  /** How many groups changed since the last checkpoint. */
  int changedCount() {
    return dirtyCount;
  }

  /** The groups changed since the last checkpoint, ascending. */
  int[] changed() {
    int[] changed = Arrays.copyOf(dirtyList, dirtyCount);
    Arrays.sort(changed);
    return changed;
  }

  /** Every group in memory, ascending. */
  int[] all() {
    return range(0, table.size());
  }

  /** {@code array} with {@code value} at {@code at}, grown (doubled) when it is full. */
  static int[] put(int[] array, int at, int value) {
    int[] a = at < array.length ? array : Arrays.copyOf(array, Math.max(16, array.length * 2));
    a[at] = value;
    return a;
  }

  static int[] range(int from, int to) {
    int[] list = new int[to - from];
    for (int i = 0; i < list.length; i++) {
      list[i] = from + i;
    }
    return list;
  }

  /** The stored key columns of {@code list[0..n)}, as new vectors. */
  List<FieldVector> keyVectors(int[] list, int n) {
    List<FieldVector> keys = new ArrayList<>();
    Owned.orClose(keys, () -> {
      for (int k = 0; k < stored.length; k++) {
        keys.add(table.toVector(k, list, n, allocator));
      }
    });
    return keys;
  }

  /** Removes {@code closed} (ascending), remembering the keys of those in the checkpoint for the next delta. */
  void evict(int[] closed) {
    int[] known = new int[closed.length];
    int n = 0;
    for (int g : closed) {
      if (persisted[g]) {
        known[n++] = g;
      }
    }
    if (n > 0) {
      pendingDeletes.add(keyVectors(known, n));
    }
    remove(closed);
  }

  /** The keys of the groups evicted since the last checkpoint, a list of key columns per eviction. */
  List<List<FieldVector>> pendingDeletes() {
    return pendingDeletes;
  }

  /** Removes {@code removed} (ascending) and renumbers the others in order, remembering nothing. */
  void remove(int[] removed) {
    int size = table.size();
    ensureGroupArrays(size);
    boolean[] gone = new boolean[size];
    for (int g : removed) {
      gone[g] = true;
    }
    int[] survivors = new int[size - removed.length];
    int[] renumber = new int[size];
    int n = 0;
    for (int g = 0; g < size; g++) {
      if (gone[g]) {
        renumber[g] = -1;
      } else {
        renumber[g] = n;
        survivors[n++] = g;
      }
    }
    table.compact(survivors, n);
    for (Accumulator a : accumulators) {
      a.compact(survivors, n);
      a.ensureCapacity(n);
    }
    boolean[] newDirty = new boolean[Math.max(16, n)];
    int[] newList = new int[newDirty.length];
    boolean[] newPersisted = new boolean[newDirty.length];
    for (int i = 0; i < n; i++) {
      newPersisted[i] = persisted[survivors[i]];
    }
    persisted = newPersisted;
    int d = 0;
    for (int i = 0; i < dirtyCount; i++) {
      int g = renumber[dirtyList[i]];
      if (g >= 0) {
        newDirty[g] = true;
        newList[d++] = g;
      }
    }
    dirty = newDirty;
    dirtyList = newList;
    dirtyCount = d;
  }

  /** A checkpoint now holds every group: nothing has changed since, nothing waits to be deleted. */
  void committed() {
    for (int i = 0; i < dirtyCount; i++) {
      dirty[dirtyList[i]] = false;
    }
    dirtyCount = 0;
    Arrays.fill(persisted, 0, table.size(), true);
    clearPendingDeletes();
  }

  /** The groups were just restored from a checkpoint, which holds them all. */
  void restored() {
    int size = Math.max(16, table.size());
    dirty = new boolean[size];
    dirtyList = new int[size];
    dirtyCount = 0;
    persisted = new boolean[size];
    Arrays.fill(persisted, 0, table.size(), true);
  }

  private void ensureGroupArrays(int size) {
    if (size > dirty.length) {
      dirty = Arrays.copyOf(dirty, Math.max(size, dirty.length * 2));
      dirtyList = Arrays.copyOf(dirtyList, dirty.length);
      persisted = Arrays.copyOf(persisted, dirty.length);
    }
  }

  void clearPendingDeletes() {
    for (List<FieldVector> keys : pendingDeletes) {
      keys.forEach(FieldVector::close);
    }
    pendingDeletes.clear();
  }

  /** Heap bytes held by the keys and the aggregates. */
  long bytes() {
    long bytes = table.bytes();
    for (Accumulator a : accumulators) {
      bytes += a.bytes();
    }
    return bytes;
  }
}
