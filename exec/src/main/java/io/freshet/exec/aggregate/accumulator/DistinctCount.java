package io.freshet.exec.aggregate.accumulator;

import io.freshet.exec.aggregate.KeyTable;
import io.freshet.exec.expr.Vectors;
import io.freshet.exec.types.TypeKind;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * COUNT(DISTINCT x): the distinct (group, x) pairs of all groups live in one {@link KeyTable}; a pair seen for the
 * first time adds one to its group's count. Pairs are checkpointed as rows of their own (new ones in a delta).
 */
public final class DistinctCount extends Accumulator {
  private final TypeKind type;
  private final BufferAllocator allocator;
  private KeyTable pairs;
  private long[] counts = new long[0];
  private int[] ids = new int[0];
  /** Pairs {@code [0, committed)} are in the checkpoint already. */
  private int committed;
  /** Where the pairs of earlier batches are when they are not all in memory (RocksDB), or null. */
  private SeenPairs seen;

  /**
   * The pairs of earlier batches, kept outside this accumulator: which of some (group, value) pairs it holds.
   */
  public interface SeenPairs {
    /** Per row {@code rows[i]} of {@code values}, whether the pair ({@code groups[rows[i]]}, value) is held. */
    boolean[] contains(int[] groups, FieldVector values, int[] rows, int n);
  }

  /** Counts a pair new in memory only when {@code pairs} does not hold it. */
  public void seenIn(SeenPairs pairs) {
    this.seen = pairs;
  }

  public DistinctCount(TypeKind type, BufferAllocator allocator) {
    this.type = type;
    this.allocator = allocator;
    this.pairs = new KeyTable(new TypeKind[] {TypeKind.BIGINT, type});
  }

  public TypeKind valueType() {
    return type;
  }

  @Override
  protected void grow(int newCapacity) {
    counts = Arrays.copyOf(counts, newCapacity);
  }

  @Override
  public void update(int[] groups, FieldVector argument, int n) {
    try (BigIntVector groupVector = groupVector(groups, n)) {
      insert(groupVector, argument, n, groups, true);
    }
  }

  private BigIntVector groupVector(int[] groups, int n) {
    BigIntVector v = new BigIntVector("g", allocator);
    v.allocateNew(Math.max(n, 1));
    for (int i = 0; i < n; i++) {
      v.set(i, groups[i]);
    }
    v.setValueCount(n);
    return v;
  }

  private void insert(BigIntVector groupVector, FieldVector values, int n, int[] groups, boolean count) {
    if (ids.length < n) {
      ids = new int[Math.max(n, 16)];
    }
    int next = pairs.size();
    pairs.findOrInsert(new FieldVector[] {groupVector, values}, n, ids);
    int[] fresh = new int[n];
    int f = 0;
    for (int i = 0; i < n; i++) {
      if (ids[i] == next) {
        next++;
        if (count && !values.isNull(i)) {
          fresh[f++] = i;
        }
      }
    }
    boolean[] held = seen == null || f == 0 ? null : seen.contains(groups, values, fresh, f);
    for (int i = 0; i < f; i++) {
      if (held == null || !held[i]) {
        counts[groups[fresh[i]]]++;
      }
    }
  }

  @Override
  public void reset(int group) {
    counts[group] = 0;
  }

  @Override
  public void merge(int dst, int src) {
    throw new UnsupportedOperationException("COUNT(DISTINCT) does not merge");
  }

  @Override
  public FieldVector result(int[] groups, int n, TypeKind resultType, BufferAllocator out) {
    return longResult(counts, null, groups, n, resultType, out);
  }

  @Override
  public void compact(int[] survivors, int count) {
    int[] renumber = new int[capacity];
    Arrays.fill(renumber, -1);
    for (int i = 0; i < count; i++) {
      renumber[survivors[i]] = i;
    }
    counts = keep(counts, survivors, count);
    capacity = counts.length;
    int total = pairs.size();
    int[] kept = new int[total];
    int[] newGroups = new int[total];
    int n = 0;
    int keptCommitted = 0;
    for (int e = 0; e < total; e++) {
      int g = (int) pairs.longValue(0, e);
      if (g < renumber.length && renumber[g] >= 0) {
        if (e < committed) {
          keptCommitted++;
        }
        newGroups[n] = renumber[g];
        kept[n++] = e;
      }
    }
    KeyTable rebuilt = new KeyTable(new TypeKind[] {TypeKind.BIGINT, type});
    if (n > 0) {
      try (BigIntVector groupVector = groupVector(newGroups, n);
          FieldVector values = pairs.toVector(1, kept, n, allocator)) {
        int[] scratch = new int[n];
        rebuilt.findOrInsert(new FieldVector[] {groupVector, values}, n, scratch);
      }
    }
    pairs = rebuilt;
    committed = keptCommitted;
  }

  /** The pairs added since the last checkpoint (or all of them), as entry ids. */
  public int[] entries(boolean all) {
    int from = all ? 0 : committed;
    int[] e = new int[pairs.size() - from];
    for (int i = 0; i < e.length; i++) {
      e[i] = from + i;
    }
    return e;
  }

  public int groupOf(int entry) {
    return (int) pairs.longValue(0, entry);
  }

  public FieldVector values(int[] entries, BufferAllocator out) {
    return pairs.toVector(1, entries, entries.length, out);
  }

  public void markCommitted() {
    committed = pairs.size();
  }

  /** Re-inserts checkpointed pairs: rows {@code sel[0..n)} of {@code values} belong to {@code groups[0..n)}. */
  public void restore(int[] groups, FieldVector values, int[] sel, int n) {
    if (n == 0) {
      return;
    }
    try (BigIntVector groupVector = groupVector(groups, n);
        FieldVector picked = Vectors.gather(values, type, sel, n, allocator)) {
      insert(groupVector, picked, n, groups, false);
    }
    committed = pairs.size();
  }

  @Override
  public List<Field> stateFields(String prefix) {
    return List.of(field(prefix + "count", BIGINT));
  }

  @Override
  public List<FieldVector> writeState(int[] groups, int n, BufferAllocator out) {
    return List.of(longs(counts, groups, n, out));
  }

  @Override
  public void readState(List<FieldVector> state, int row, int group) {
    counts[group] = ((BigIntVector) state.get(0)).get(row);
  }

  @Override
  public long bytes() {
    return counts.length * 8L + pairs.bytes();
  }
}
