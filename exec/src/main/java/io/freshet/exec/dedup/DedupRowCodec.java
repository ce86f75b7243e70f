package io.freshet.exec.dedup;

import io.freshet.exec.format.ByteSink;
import io.freshet.exec.state.KeyValueState;
import io.freshet.exec.state.OrderedBytes;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.vector.FieldVector;

/**
 * A row a deduplication keeps, as bytes: its event time (8 bytes), then its columns as {@link KeyValueState#encode}
 * writes them. Rows are encoded from the input's vectors and decoded straight into the output's, never boxed; the
 * same bytes are the value in RocksDB and in the memory state store's checkpoint.
 */
final class DedupRowCodec {
  private final ByteSink scratch = new ByteSink();

  /** Row {@code row} of {@code columns}, whose event time is {@code time}. */
  byte[] encode(List<FieldVector> columns, int row, long time) {
    scratch.clear();
    OrderedBytes.putLong(scratch, time);
    KeyValueState.encode(columns, row, scratch);
    return Arrays.copyOf(scratch.array(), scratch.length());
  }

  static long time(byte[] encoded) {
    return OrderedBytes.getLong(encoded, 0);
  }

  /** Decodes {@code encoded} into row {@code row} of {@code columns} (set with setSafe). */
  static void decode(byte[] encoded, List<FieldVector> columns, int row) {
    KeyValueState.decode(encoded, 8, columns, row);
  }
}
