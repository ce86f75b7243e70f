package io.freshet.exec.state;

import org.apache.arrow.vector.VectorSchemaRoot;

/** Chooses the rows of a state file to restore: those of the key groups a partition owns. */
@FunctionalInterface
public interface RowFilter {

  /** Writes the numbers of the rows of {@code root} to keep into {@code rows} (in order) and returns how many. */
  int select(VectorSchemaRoot root, int[] rows);
}
