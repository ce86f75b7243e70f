package io.freshet.sources.file;

import io.freshet.streaming.FreshetException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * Where the records of a CSV file read as byte ranges at the same time start, when a quoted field may hold line
 * breaks: a line break in the middle of the file may be inside a field, which only the quoting before it tells.
 * Quoting is a small automaton over the bytes (the rules of {@link io.freshet.exec.format.CsvQuotes}: a quote opens
 * a quoted field only as a field's first byte, a doubled quote inside one is one quote; and, with a header, the
 * first line is no record). Each range first runs the automaton over its own bytes from every state at once and
 * publishes where each state ends ({@link #transitions}); this is the part done in parallel. To find its first
 * record it then composes the transitions of the ranges before it (waiting for them), which gives the state at
 * its start, and reads on to the first line break outside a quoted field. So every record is read by the range it
 * starts in, exactly as reading the file from its start would find it.
 */
final class CsvRecordStarts {
  /** At the start of a field: a quote opens a quoted field. */
  private static final int FIELD_START = 0;
  /** Inside an unquoted field (a quote is an ordinary byte). */
  private static final int IN_FIELD = 1;
  private static final int QUOTED = 2;
  /** A quote inside a quoted field: the field closes, unless another quote follows (then it is one quote). */
  private static final int QUOTE_IN_QUOTED = 3;
  /** In the header line. */
  private static final int HEADER = 4;
  private static final int STATES = 5;

  private final byte[][] next = new byte[STATES][256];
  /** The bytes that move a run out of a state it stays in over other bytes: quote, delimiter and line break. */
  private final boolean[] special = new boolean[256];
  private final Path file;
  private final long size;
  /** Where range k's automaton starts: 0 for the first, else one byte before the range (where its search starts). */
  private final long[] from;
  /** For range k: the state at {@code from[k + 1]} for each state at {@code from[k]}; the last range has none. */
  private final CompletableFuture<byte[]>[] transitions;
  /**
   * The state at {@code from[k]}, once a range has composed it (-1: not yet), so that a range composes from the
   * nearest known one and not from the file's start: with many ranges that would be quadratic.
   */
  private final AtomicIntegerArray stateAt;
  private final int firstState;

  @SuppressWarnings("unchecked")
  CsvRecordStarts(Path file, long size, long[] rangeStarts, byte delimiter, byte quote, boolean header) {
    this.file = file;
    this.size = size;
    this.firstState = header ? HEADER : FIELD_START;
    this.from = new long[rangeStarts.length + 1];
    for (int k = 0; k < rangeStarts.length; k++) {
      from[k] = k == 0 ? 0 : rangeStarts[k] - 1;
    }
    from[rangeStarts.length] = size;
    this.transitions = new CompletableFuture[rangeStarts.length];
    for (int k = 0; k < transitions.length; k++) {
      transitions[k] = new CompletableFuture<>();
    }
    this.stateAt = new AtomicIntegerArray(rangeStarts.length);
    for (int k = 1; k < rangeStarts.length; k++) {
      stateAt.set(k, -1);
    }
    stateAt.set(0, firstState);
    special[quote & 0xff] = true;
    special[delimiter & 0xff] = true;
    special['\n'] = true;
    for (int c = 0; c < 256; c++) {
      byte b = (byte) c;
      boolean breaks = b == '\n' || b == delimiter;
      next[FIELD_START][c] = (byte) (b == quote ? QUOTED : breaks ? FIELD_START : IN_FIELD);
      next[IN_FIELD][c] = (byte) (breaks ? FIELD_START : IN_FIELD);
      next[QUOTED][c] = (byte) (b == quote ? QUOTE_IN_QUOTED : QUOTED);
      next[QUOTE_IN_QUOTED][c] = (byte) (b == quote ? QUOTED : breaks ? FIELD_START : IN_FIELD);
      next[HEADER][c] = (byte) (b == '\n' ? FIELD_START : HEADER);
    }
  }

  /**
   * Where the first record of range {@code k} starts: at or after its start, or the file's size when none does.
   * Computes this range's transitions first, so that the ranges after it can go on; then waits for those before it.
   */
  long firstRecord(int k) throws IOException {
    if (k + 1 < transitions.length) {
      try {
        transitions[k].complete(transitionsOf(k));
      } catch (IOException | RuntimeException e) {
        transitions[k].completeExceptionally(e);
        throw e;
      }
    }
    if (k == 0) {
      return 0;
    }
    int j = k;
    int state;
    while ((state = stateAt.get(j)) < 0) {
      j--;
    }
    for (; j < k; j++) {
      try {
        state = transitions[j].join()[state];
        stateAt.set(j + 1, state);
      } catch (CompletionException | java.util.concurrent.CancellationException e) {
        if (e.getCause() instanceof java.nio.file.NoSuchFileException gone) {
          // The file is gone: say so as the range before did, not that the range before failed.
          throw new java.nio.file.NoSuchFileException(gone.getFile());
        }
        throw FreshetException.user("Range " + (j + 1) + " of " + file + " could not be read, so where the "
            + "records of the ranges after it start is not known: " + (e.getCause() != null
            ? e.getCause().getMessage() : "the batch stopped"));
      }
    }
    try (FileChannel channel = FileChannel.open(file); InputStream in = Channels.newInputStream(channel)) {
      channel.position(from[k]);
      byte[] buffer = new byte[1 << 16];
      long at = from[k];
      for (int n; at < size && (n = in.read(buffer, 0, (int) Math.min(buffer.length, size - at))) > 0; ) {
        for (int i = 0; i < n; i++) {
          state = next[state][buffer[i] & 0xff];
          if (buffer[i] == '\n' && state == FIELD_START) {
            return at + i + 1;
          }
        }
        at += n;
      }
      return size;
    }
  }

  /** Range {@code k} will not be read (the batch failed): the ranges after it that wait for it stop. */
  void abandon(int k) {
    transitions[k].cancel(false);
  }

  /**
   * Runs the automaton over range k's bytes from every state (the first range: from the file's first state), a
   * buffer at a time, merging the runs that meet: usually two or one are left after a few lines.
   */
  private byte[] transitionsOf(int k) throws IOException {
    // runOf[s]: the run that start state s follows; runs[r]: where run r is.
    byte[] runOf = k == 0 ? new byte[STATES] : new byte[] {0, 1, 2, 3, 4};
    byte[] runs = k == 0 ? new byte[] {(byte) firstState} : new byte[] {0, 1, 2, 3, 4};
    int count = runs.length;
    try (FileChannel channel = FileChannel.open(file); InputStream in = Channels.newInputStream(channel)) {
      channel.position(from[k]);
      byte[] buffer = new byte[1 << 16];
      long at = from[k];
      long end = from[k + 1];
      // While every run is in a state that other bytes leave as it is (in a field, quoted or not, or the header),
      // only the quotes, delimiters and line breaks need the table: the bytes between them are skipped.
      boolean steady = false;
      for (int n; at < end && (n = in.read(buffer, 0, (int) Math.min(buffer.length, end - at))) > 0; at += n) {
        for (int i = 0; i < n; i++) {
          if (steady) {
            while (i < n && !special[buffer[i] & 0xff]) {
              i++;
            }
            if (i == n) {
              break;
            }
          }
          int c = buffer[i] & 0xff;
          steady = true;
          for (int r = 0; r < count; r++) {
            int q = next[runs[r]][c];
            runs[r] = (byte) q;
            steady &= q != FIELD_START && q != QUOTE_IN_QUOTED;
          }
        }
        count = merge(runOf, runs, count);
      }
    }
    byte[] result = new byte[STATES];
    for (int s = 0; s < STATES; s++) {
      result[s] = runs[runOf[s]];
    }
    return result;
  }

  /** Merges the runs that reached the same state, renumbering {@code runOf}; returns how many runs are left. */
  private static int merge(byte[] runOf, byte[] runs, int count) {
    byte[] renumber = new byte[count];
    int kept = 0;
    for (int r = 0; r < count; r++) {
      int same = -1;
      for (int q = 0; q < kept; q++) {
        if (runs[q] == runs[r]) {
          same = q;
          break;
        }
      }
      if (same < 0) {
        runs[kept] = runs[r];
        same = kept++;
      }
      renumber[r] = (byte) same;
    }
    for (int s = 0; s < runOf.length; s++) {
      runOf[s] = renumber[runOf[s]];
    }
    return kept;
  }
}
