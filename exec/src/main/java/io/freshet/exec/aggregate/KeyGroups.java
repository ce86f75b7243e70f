package io.freshet.exec.aggregate;

import io.freshet.exec.types.TypeKind;
import org.apache.arrow.vector.FieldVector;

/**
 * Keyed state is split into a fixed number of key groups, as in Flink: a row's key group follows from the hash of
 * its key columns, and partition {@code p} of {@code P} owns a contiguous range of groups. The number of groups
 * never changes, so a query restarted with another number of partitions finds each key's state by its group.
 */
public final class KeyGroups {
  /** The number of key groups, and so the largest number of partitions a query can have. */
  public static final int COUNT = 128;

  private final KeyColumn[] columns;
  private long[] hashes = new long[0];

  /** Hashes keys of the given column types, in this order. */
  public KeyGroups(TypeKind[] types) {
    this.columns = new KeyColumn[types.length];
    for (int i = 0; i < types.length; i++) {
      columns[i] = KeyColumn.of(types[i]);
    }
  }

  /** Writes the key group of each of the rows {@code [0, n)} of {@code keys} (one vector per key column). */
  public void assign(FieldVector[] keys, int n, int[] groups) {
    if (hashes.length < n) {
      hashes = new long[Math.max(n, 16)];
    }
    if (columns.length == 0) {
      java.util.Arrays.fill(groups, 0, n, group(KeyColumn.mix(0)));
      return;
    }
    for (int c = 0; c < columns.length; c++) {
      columns[c].hash(keys[c], n, hashes, c == 0);
    }
    for (int i = 0; i < n; i++) {
      groups[i] = group(KeyColumn.mix(hashes[i]));
    }
  }

  private static int group(long mixedHash) {
    return (int) ((mixedHash >>> 1) % COUNT);
  }

  /** The partition of {@code partitions} that owns key group {@code group}. */
  public static int partitionOf(int group, int partitions) {
    return group * partitions / COUNT;
  }

  /** The first key group partition {@code partition} of {@code partitions} owns. */
  public static int first(int partition, int partitions) {
    return (partition * COUNT + partitions - 1) / partitions;
  }

  /** The last key group partition {@code partition} of {@code partitions} owns. */
  public static int last(int partition, int partitions) {
    return first(partition + 1, partitions) - 1;
  }
}
