package io.freshet.exec.state;

import java.nio.file.Path;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.apache.arrow.vector.FieldVector;

/**
 * The keyed state of one partition of one operator in a store that pages to disk, from a {@link StateBackend}:
 * rows of key columns map to rows of state columns, both encoded as bytes ({@link #decode} reads them back).
 * It is versioned like the checkpoint: {@link #checkpoint} makes version N durable, {@link #restore} opens it
 * again, and {@link #importFrom} gathers another partition's entries after the number of partitions changed.
 */
public interface KeyValueState extends AutoCloseable {

  /** Opens the state after batch {@code version}, or empty when {@code version < 0}. */
  void restore(long version);

  /**
   * Adds the entries of version {@code version} of the checkpoint in {@code other} (another partition's) whose keys
   * {@code keep} accepts; it is handed the encoded keys {@code chunk} at a time and answers per key.
   */
  default void importFrom(Path other, long version, int chunk, Function<List<byte[]>, boolean[]> keep) {
    readFrom(other, version, chunk, (keys, values) -> {
      boolean[] kept = keep.apply(keys);
      List<byte[]> keptKeys = new java.util.ArrayList<>(keys.size());
      List<byte[]> keptValues = new java.util.ArrayList<>(keys.size());
      for (int i = 0; i < keys.size(); i++) {
        if (kept[i]) {
          keptKeys.add(keys.get(i));
          keptValues.add(values.get(i));
        }
      }
      write(keptKeys, keptValues);
    });
  }

  /**
   * Hands the entries of version {@code version} of the checkpoint in {@code from} (its own directory's, or another
   * partition's) to {@code take}, {@code chunk} at a time in the order of their keys, as encoded keys and values;
   * {@code take} adds what it makes of them to the open state with {@link #write}. The checkpoint is only read: a
   * version written in an earlier layout is rewritten this way into a state restored empty.
   */
  void readFrom(Path from, long version, int chunk, BiConsumer<List<byte[]>, List<byte[]>> take);

  /** The directory of its own checkpoint. */
  Path directory();

  /**
   * Records {@code layout} (how the user of this state encodes its entries, opaque here) with each version it
   * checkpoints from now on, so that a reader can tell how the entries of a version were written.
   */
  void recordLayout(String layout);

  /**
   * The layout that version {@code version} of the checkpoint in {@code directory} recorded, or null when it
   * recorded none (or there is no such version).
   */
  String layout(Path directory, long version);

  /**
   * Looks up the encoded {@code keys}; the state of each key found is decoded into the next row of {@code states}.
   * Returns, per key, the row of {@code states} that holds its state, or -1.
   */
  int[] lookup(List<byte[]> keys, List<FieldVector> states);

  /** The encoded value of the encoded {@code key}, or null when it holds none. */
  byte[] get(byte[] key);

  /** Deletes every key from {@code from} (inclusive) to {@code to} (exclusive), in the order of their bytes. */
  void deleteRange(byte[] from, byte[] to);

  /** Stores each encoded key with its encoded value, or deletes the key where the value is null. */
  void write(List<byte[]> keys, List<byte[]> values);

  /** Deletes each of the encoded {@code keys}. */
  default void delete(List<byte[]> keys) {
    if (!keys.isEmpty()) {
      write(keys, java.util.Collections.nCopies(keys.size(), (byte[]) null));
    }
  }

  /**
   * The entries whose encoded key starts with {@code prefix}, in the order of their keys' bytes (unsigned), each
   * handed to {@code visitor} until it answers false.
   */
  void scanPrefix(byte[] prefix, java.util.function.BiPredicate<byte[], byte[]> visitor);

  /**
   * As {@link #scanPrefix}, starting at the first key not before {@code from} (which starts with {@code prefix}):
   * a range of the prefix's entries.
   */
  void scanFrom(byte[] from, byte[] prefix, java.util.function.BiPredicate<byte[], byte[]> visitor);

  /** Every key and state, {@code chunk} at a time, as encoded rows (see {@link #decode}). */
  void scan(int chunk, BiConsumer<List<byte[]>, List<byte[]>> onChunk);

  /** Makes version {@code version} durable in the checkpoint. */
  void checkpoint(long version);

  /** About how many keys it holds. */
  long estimatedKeys();

  /** The memory it uses now, outside the Java heap. */
  long memoryBytes();

  @Override
  void close();

  /** Decodes an encoded row (a key or a state from {@link #scan}) into row {@code row} of {@code vectors}. */
  static void decode(byte[] bytes, List<FieldVector> vectors, int row) {
    RowCodec.decode(bytes, 0, vectors, row);
  }

  /**
   * As above, from {@code bytes[offset]} on (a key after a prefix of its own); returns where the row's bytes end (a
   * key may go on with bytes of its own).
   */
  static int decode(byte[] bytes, int offset, List<FieldVector> vectors, int row) {
    return RowCodec.decode(bytes, offset, vectors, row);
  }

  /** Appends row {@code row} of {@code vectors}, encoded, to {@code out}. */
  static void encode(List<FieldVector> vectors, int row, io.freshet.exec.format.ByteSink out) {
    RowCodec.encode(vectors, row, out);
  }
}
