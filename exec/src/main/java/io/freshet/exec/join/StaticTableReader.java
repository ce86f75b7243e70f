package io.freshet.exec.join;

import io.freshet.exec.batch.Batch;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;

/**
 * Reads the whole of a bounded table for a stream–static join: bound by the SQL layer, which knows the catalog
 * and the connectors, into the plan's {@link StaticJoinOperator.Spec} before the query starts.
 */
public interface StaticTableReader {

  /** The table's rows now, in batches of its columns; the caller owns them. */
  List<Batch> read(BufferAllocator allocator);

  /**
   * A value that changes when the table's content does (its files' names, sizes and times), read before every
   * batch when the join reloads on change; null when the table cannot tell.
   */
  String fingerprint();
}
