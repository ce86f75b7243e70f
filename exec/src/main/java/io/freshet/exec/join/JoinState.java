package io.freshet.exec.join;

import io.freshet.exec.state.OrderedBytes;
import io.freshet.exec.state.StateStore;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.BiPredicate;
import java.util.function.Consumer;

/**
 * The rows an interval join (or an OVER aggregation) keeps, as a map of byte keys to byte values in the order of
 * their keys (unsigned), on the heap ({@link HeapJoinState}) or in a key-value state that pages to disk
 * ({@link KeyValueJoinState}). The operator decides what the keys mean; the state only needs to know which entries
 * are rows (whose key's first byte is a row tag, followed by the key by which the operator's input is hashed),
 * since rows are what its checkpoint keeps and what moves between partitions after their number changed.
 */
public interface JoinState extends AutoCloseable {

  void put(byte[] key, byte[] value);

  void delete(byte[] key);

  /** The value of {@code key}, or null. */
  byte[] get(byte[] key);

  /** The entries whose key starts with {@code prefix}, in order, each handed to {@code visitor} until it answers false. */
  default void scanPrefix(byte[] prefix, BiPredicate<byte[], byte[]> visitor) {
    scanFrom(prefix, prefix, visitor);
  }

  /** As {@link #scanPrefix}, from the first key not before {@code from} (which starts with {@code prefix}) on. */
  void scanFrom(byte[] from, byte[] prefix, BiPredicate<byte[], byte[]> visitor);

  /** Deletes every key from {@code from} (inclusive) to {@code to} (exclusive). */
  void deleteRange(byte[] from, byte[] to);

  /**
   * Deletes the index entries {@code [tag][number]...} whose number is at least {@code from} and below
   * {@code below} ({@link OrderedBytes#putLong} numbers), handing each key to {@code taken}: in order of number, and
   * of one number in the order of their keys or, on the heap, in no set order (which spares it sorting them), where
   * a key put more than once may come more than once.
   */
  default void takeIndexBelow(byte tag, long from, long below, Consumer<byte[]> taken) {
    byte[] prefix = {tag};
    List<byte[]> keys = new ArrayList<>();
    scanFrom(JoinKeys.withTime(prefix, from), prefix, (k, v) -> {
      if (OrderedBytes.getLong(k, 1) >= below) {
        return false;
      }
      keys.add(k);
      return true;
    });
    if (!keys.isEmpty()) {
      deleteRange(JoinKeys.withTime(prefix, from), JoinKeys.withTime(prefix, below));
    }
    keys.forEach(taken);
  }

  /** Writes version {@code version} of the state to the checkpoint. */
  void commit(StateStore store, long version);

  /**
   * Restores version {@code version} from {@code store} (the partition's own, or after a change in the number of
   * partitions one of the previous layout's). Each row entry it adds from a file rather than finds in place is
   * handed to {@code added}, which may put entries derived from it; returns whether the state was opened in place
   * (the entries the operator put besides the rows are then there too).
   */
  boolean restore(StateStore store, long version, BiConsumer<byte[], byte[]> added);

  /** Bytes of state on the Java heap. */
  long heapBytes();

  @Override
  void close();
}
