package io.freshet.exec.connector;

import io.freshet.exec.batch.Batch;
import io.freshet.exec.types.RowSchema;
import java.util.Iterator;

/**
 * A replayable stream of rows, read by offset ranges. Calls come from the query's engine thread, in this order:
 * {@link #latestOffset} to learn what is available, then {@link #read} (or {@link #readSplits}) for the range the engine chose (which the
 * engine has already written to its offset log), then {@link #commit} once the batch is committed.
 * {@link #read} must return the same rows for the same range every time it is asked, including after a restart.
 */
public interface Source extends AutoCloseable {

  RowSchema schema();

  /** The newest offset available now, or null when nothing has arrived yet. */
  Offset latestOffset();

  /**
   * Rows after {@code start} (exclusive; null means from the beginning) up to {@code end} (inclusive), as
   * batches the caller owns and closes. The iterator is lazy, so a large range never sits in memory at once.
   */
  Iterator<Batch> read(Offset start, Offset end);

  /**
   * The rows of {@link #read} as splits (e.g. one per file, or per byte range of a large file) that the engine may
   * read at the same time, each iterator on one thread; read one after another, in order, they give the rows of
   * {@link #read}. One split unless the source can do better. A split may wait, when it starts, for the splits
   * before it to have started (a range of CSV learns its quoting state from the ranges before it), so the engine
   * starts them in order, each on a thread of its own or after the ones before it, and closes those it will not
   * read, which lets the splits after them stop.
   */
  default java.util.List<Iterator<Batch>> readSplits(Offset start, Offset end) {
    return java.util.List.of(read(start, end));
  }

  /**
   * Called once at start, before {@link #latestOffset}, when the checkpoint holds batches: {@code last} is the
   * end offset of the last batch, so the source continues from there.
   */
  default void restore(Offset last) {
  }

  /**
   * Called at start before any batch runs again, when the checkpoint holds batches: refuses (naming the file and
   * what to do) when the source's own checkpoint files lack what the batches up to {@code last}, the end offset of
   * the newest, read. It changes nothing, so that a start refused here leaves the checkpoint as it was.
   */
  default void check(Offset last) {
  }

  /**
   * Called once at start, for a new checkpoint too, when every start check passed and before any batch runs (again):
   * from now on the source may write its own checkpoint files (until then a refused start must find them as they
   * were).
   */
  default void resumed() {
  }

  /**
   * Whether no offset after {@code offset} will ever come: the stream is bounded and fully read. {@code offset}
   * is null when nothing was read yet (true then means the stream is empty for good).
   */
  default boolean isExhausted(Offset offset) {
    return false;
  }

  /**
   * From now on {@link #latestOffset} must not go beyond what is available at this moment (it may still stop short
   * of it, batch by batch, to limit a batch's size), until {@link #endAvailableNow}: for the available-now trigger
   * (for good), and while {@code processAllAvailable()} waits for the data present when it was called.
   */
  void prepareForAvailableNow();

  /** Lifts the limit of {@link #prepareForAvailableNow}: {@link #latestOffset} follows new data again. */
  void endAvailableNow();

  /**
   * From now on (for good) {@link #latestOffset} ignores the source's own per-batch limits, such as
   * {@code maxFilesPerTrigger}: it hands out everything available, up to what {@link #prepareForAvailableNow} holds
   * it at, in one offset. For the once trigger, which reads all that is there in one batch, as Spark's
   * {@code ReadLimit.allAvailable()}. A source without such limits has nothing to do.
   */
  default void ignoreBatchLimits() {
  }

  /** Data up to {@code end} is committed and will not be asked for again. */
  default void commit(Offset end) {
  }

  /**
   * The source's own counts for the batch it last read, for progress reports (e.g. {@code numMalformedRows});
   * asked after the batch's rows have all been read.
   */
  default java.util.Map<String, String> metrics() {
    return java.util.Map.of();
  }

  /**
   * What the source is doing now when that is worth telling a user who asks for the query's status (e.g. a socket
   * source reconnecting), or null.
   */
  default String status() {
    return null;
  }

  /** A short description for progress reports, e.g. {@code NexmarkSource[bid]}. */
  default String description() {
    return getClass().getSimpleName();
  }

  @Override
  default void close() {
  }
}
