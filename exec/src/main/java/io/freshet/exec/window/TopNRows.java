package io.freshet.exec.window;

import io.freshet.exec.state.StateStore;
import java.util.List;
import java.util.function.Predicate;

/**
 * The rows a {@link TopNOperator} keeps, per partition, in the order of its ORDER BY columns (ties in the order
 * they came): on the heap ({@link HeapTopNRows}) or in a key-value state that pages to disk
 * ({@link KeyValueTopNRows}). Rows are the input's values, boxed.
 */
interface TopNRows extends AutoCloseable {

  void add(List<Object> partition, Object[] row);

  /** Takes back one row equal to {@code row}; a row never added is ignored, as Flink does. */
  void remove(List<Object> partition, Object[] row);

  /** Hands the partition's rows to {@code visitor} in order, until it answers false. */
  void forEachSorted(List<Object> partition, Predicate<Object[]> visitor);

  /** Keeps only the partition's first {@code count} rows. */
  void keepFirst(List<Object> partition, int count);

  long rowCount();

  /** Bytes of state on the Java heap. */
  long heapBytes();

  void commit(StateStore store, long version);

  void restore(StateStore store, long version);

  /** The columns of a state file that hold the partition, or null when the state cannot move between partitions. */
  int[] stateKeyColumns();

  @Override
  void close();
}
