package io.freshet.exec.join;

import io.freshet.exec.format.ByteSink;
import io.freshet.exec.state.OrderedBytes;
import io.freshet.exec.state.StateStore;

/**
 * What a join of two streams keeps beside its rows ({@link JoinState}, rows under {@code [1 + side][key]...[seq]}
 * with the values {@code [flag][time][row]}, each with an index entry {@code [3 + side][time]...}): how many rows
 * each side holds, and the next sequence number, which makes each row's key unique. Both go into the checkpoint
 * with the rows; rows restored from files (the heap state's checkpoint, or other partitions' after a change in
 * their number) get their index entries again, and the sequence goes on after theirs.
 */
final class KeptRows {
  private static final byte[] META = {0};

  private final JoinState state;
  private final long[] rows = new long[2];
  private long sequence;

  KeptRows(JoinState state) {
    this.state = state;
  }

  /** The sequence number of the next row kept. */
  long next() {
    return sequence++;
  }

  void added(int side) {
    rows[side]++;
  }

  void removed(int side) {
    rows[side]--;
  }

  /** The rows both sides hold. */
  long total() {
    return rows[0] + rows[1];
  }

  /** Writes the counts and the sequence beside the rows, and the state as version {@code version}. */
  void commit(StateStore store, long version, ByteSink scratch) {
    scratch.clear();
    OrderedBytes.putLong(scratch, sequence);
    OrderedBytes.putLong(scratch, rows[0]);
    OrderedBytes.putLong(scratch, rows[1]);
    state.put(META, OrderedBytes.bytes(scratch));
    state.commit(store, version);
  }

  /** Restores version {@code version} of the rows, their index entries, the counts and the sequence. */
  void restore(StateStore store, long version) {
    boolean inPlace = state.restore(store, version, (key, value) -> {
      int side = key[0] - 1;
      state.put(JoinKeys.indexKey(side, OrderedBytes.getLong(value, 1), key), JoinKeys.EMPTY);
      sequence = Math.max(sequence, OrderedBytes.getLong(key, key.length - 8) + 1);
      rows[side]++;
    });
    if (inPlace) {
      byte[] meta = state.get(META);
      if (meta != null) {
        sequence = OrderedBytes.getLong(meta, 0);
        rows[0] = OrderedBytes.getLong(meta, 8);
        rows[1] = OrderedBytes.getLong(meta, 16);
      }
    }
  }
}
