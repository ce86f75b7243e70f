package io.freshet.exec.state;

import io.freshet.exec.connector.CheckpointFiles;
import io.freshet.exec.engine.Checkpoint;
import io.freshet.streaming.FreshetException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorLoader;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.arrow.vector.ipc.message.ArrowBlock;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.arrow.vector.util.TransferPair;

/**
 * The versions of one stateful operator's state in a checkpoint: {@code N.snapshot} holds the whole state after
 * batch N, {@code N.delta} what changed in batch N; both are Arrow IPC files written atomically. A version is
 * restored from the latest snapshot at or before it plus the deltas after that snapshot. Every
 * {@value #SNAPSHOT_INTERVAL}th version is a snapshot; files older than the snapshot before the latest are
 * purged, so the previous version can always still be restored (a batch that did not commit runs again).
 */
public final class StateStore {
  public static final int SNAPSHOT_INTERVAL = 10;
  /** What a state that does not fit the query says to do. */
  public static final String CANNOT_FOLLOW = ". The query changed in a way its state cannot follow (its GROUP BY or "
      + "aggregates, or its output mode: an aggregation in update mode also keeps a count of each group's rows); run "
      + "it as before, or start it with a new checkpoint location";
  private static final String SNAPSHOT = ".snapshot";
  private static final String DELTA = ".delta";
  /** The footer metadata that names what a file holds ({@code N.snapshot} or {@code N.delta}), as its name does. */
  private static final String IDENTITY = "freshet.state";

  private final Path directory;
  private final String operator;
  private final BufferAllocator allocator;
  private final RowFilter filter;
  private final Path home;
  /** Where writes of encoded versions go to be done later ({@link #deferWritesTo}); null: done at once. */
  private List<Runnable> deferred;

  public StateStore(Path directory, String operator, BufferAllocator allocator) {
    this(directory, operator, allocator, null, directory);
  }

  private StateStore(Path directory, String operator, BufferAllocator allocator, RowFilter filter, Path home) {
    this.directory = directory;
    this.operator = operator;
    this.allocator = allocator;
    this.filter = filter;
    this.home = home;
  }

  /**
   * This store of another partition's state (before the number of partitions changed), restored into the
   * partition whose own directory is {@code home}, restoring only the rows {@code filter} selects.
   */
  public StateStore restoredInto(Path home, RowFilter filter) {
    return new StateStore(directory, operator, allocator, filter, home);
  }

  /** The directory of the partition that restores from this store: its own, unless the store is another's. */
  public Path home() {
    return home;
  }

  /** Which rows of another partition's state to restore (null: all of them). */
  public RowFilter filter() {
    return filter;
  }

  /**
   * Whether {@code directory} holds version {@code version}: a snapshot or a delta, or the list of a RocksDB
   * checkpoint ({@link RocksDbState}).
   */
  public static boolean holds(Path directory, long version) {
    return Files.exists(directory.resolve(version + SNAPSHOT)) || Files.exists(directory.resolve(version + DELTA))
        || Files.exists(RocksDbState.checkpointList(directory, version));
  }

  public Path directory() {
    return directory;
  }

  /** The allocator that restored state is read into. */
  public BufferAllocator allocator() {
    return allocator;
  }

  /**
   * From now on, {@link #write} encodes a version on the calling thread (so it holds the state as it is now) and
   * adds writing the file, forcing it to disk and purging older files to {@code writes}, in order, for another
   * thread to run later; {@code null} writes at once again. The caller runs the writes before the next version is
   * encoded, since whether that one is a snapshot depends on the files on disk.
   */
  public void deferWritesTo(List<Runnable> writes) {
    this.deferred = writes;
  }

  /** Whether version {@code version} should be written whole rather than as a delta. */
  public boolean snapshotDue(long version) {
    return version % SNAPSHOT_INTERVAL == 0 || !Files.exists(file(version - 1, DELTA))
        && !Files.exists(file(version - 1, SNAPSHOT));
  }

  /**
   * Writes version {@code version} (a snapshot or a delta) as one record batch per section, all of one schema,
   * then purges what is no longer needed.
   */
  public void write(long version, boolean snapshot, List<VectorSchemaRoot> sections) {
    // Room for the sections' buffers at once: a state of hundreds of megabytes is not copied as the stream grows.
    long size = 4096;
    for (VectorSchemaRoot section : sections) {
      for (org.apache.arrow.vector.FieldVector v : section.getFieldVectors()) {
        size += v.getBufferSize() + 64;
      }
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream((int) Math.min(size, Integer.MAX_VALUE - 64));
    try (VectorSchemaRoot out = VectorSchemaRoot.create(sections.get(0).getSchema(), allocator);
        ArrowFileWriter writer = new ArrowFileWriter(out, null, Channels.newChannel(bytes),
            java.util.Map.of(IDENTITY, file(version, snapshot ? SNAPSHOT : DELTA).getFileName().toString()))) {
      writer.start();
      VectorLoader loader = new VectorLoader(out);
      for (VectorSchemaRoot section : sections) {
        try (ArrowRecordBatch batch = new VectorUnloader(section).getRecordBatch()) {
          loader.load(batch);
        }
        writer.writeBatch();
      }
      writer.end();
    } catch (IOException e) {
      throw new FreshetException(FreshetException.Kind.INTERNAL, "Cannot encode the state of " + operator + ": "
          + e.getMessage(), e);
    }
    byte[] encoded = bytes.toByteArray();
    if (deferred != null) {
      deferred.add(() -> persist(version, snapshot, encoded));
    } else {
      persist(version, snapshot, encoded);
    }
  }

  /** Writes an encoded version to its file, forced to disk, then purges what is no longer needed. */
  private void persist(long version, boolean snapshot, byte[] encoded) {
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new FreshetException(FreshetException.Kind.EXTERNAL, "Cannot create state directory " + directory
          + ": " + e.getMessage() + "; check free disk space and permissions", e);
    }
    Checkpoint.writeAtomically(file(version, snapshot ? SNAPSHOT : DELTA), encoded, "state-checkpoint");
    // A rerun batch replaces its version; the other kind of file for the same version must not linger.
    deleteQuietly(file(version, snapshot ? DELTA : SNAPSHOT));
    if (snapshot) {
      purgeBefore(version);
    }
  }

  /**
   * Feeds the files that make up version {@code version}, oldest first, to {@code apply}; does nothing when the
   * operator has no state yet. Each file's schema must equal {@code expected}.
   */
  public void restore(long version, Schema expected, Consumer<VectorSchemaRoot> apply) {
    restore(version, expected, null, apply);
  }

  /**
   * As above, also taking files of a schema {@code alsoAccepted} accepts (an earlier layout the operator migrates,
   * such as an aggregation's state before an aggregate was added); null accepts none.
   */
  public void restore(long version, Schema expected, java.util.function.Predicate<Schema> alsoAccepted,
      Consumer<VectorSchemaRoot> apply) {
    List<Path> chain = new ArrayList<>();
    long v = version;
    while (true) {
      Path snapshot = file(v, SNAPSHOT);
      if (Files.exists(snapshot)) {
        chain.add(0, snapshot);
        break;
      }
      Path delta = file(v, DELTA);
      if (!Files.exists(delta)) {
        if (v == version && chain.isEmpty() && !Files.exists(directory)) {
          return;
        }
        throw FreshetException.user("The state of " + operator + " for batch " + version + " cannot be restored: "
            + "neither " + snapshot + " nor " + delta + " is in the checkpoint. Restore the checkpoint from a backup, "
            + "or start the query with a new checkpoint location");
      }
      chain.add(0, delta);
      v--;
    }
    for (Path file : chain) {
      read(file, expected, alsoAccepted, apply);
    }
  }

  private void read(Path file, Schema expected, java.util.function.Predicate<Schema> alsoAccepted,
      Consumer<VectorSchemaRoot> apply) {
    SeekableByteChannel checked;
    try {
      checked = CheckpointFiles.open(file);
    } catch (CheckpointFiles.Damaged e) {
      throw e.withAdvice("It holds state of " + operator + "; restore the checkpoint from a backup, or start the "
          + "query with a new checkpoint location");
    }
    try (SeekableByteChannel channel = checked;
        ArrowFileReader reader = new ArrowFileReader(channel, allocator)) {
      VectorSchemaRoot root = reader.getVectorSchemaRoot();
      String identity = reader.getMetaData().get(IDENTITY);
      if (!file.getFileName().toString().equals(identity)) {
        throw FreshetException.user("State file " + file + " of " + operator + " holds " + (identity == null
            ? "no version" : identity) + " in its place. Restore the checkpoint from a backup, or start the query "
            + "with a new checkpoint location");
      }
      if (!root.getSchema().equals(expected) && (alsoAccepted == null || !alsoAccepted.test(root.getSchema()))) {
        List<Object> missing = new ArrayList<>(expected.getFields());
        missing.removeAll(root.getSchema().getFields());
        List<Object> extra = new ArrayList<>(root.getSchema().getFields());
        extra.removeAll(expected.getFields());
        throw FreshetException.user("The checkpointed state of " + operator + " in " + file
            + " does not match this query: the query needs state columns " + missing + " that the checkpoint lacks"
            + (extra.isEmpty() ? "" : ", and the checkpoint has " + extra + " that the query does not use")
            + CANNOT_FOLLOW);
      }
      for (ArrowBlock block : reader.getRecordBlocks()) {
        reader.loadRecordBatch(block);
        try {
          if (filter == null) {
            apply.accept(root);
          } else {
            applySelected(root, apply);
          }
        } catch (RuntimeException e) {
          throw new ApplyFailure(e);
        }
      }
    } catch (ApplyFailure e) {
      throw FreshetException.internal("Restoring the state of " + operator + " from " + file + " failed: "
          + e.getCause().getMessage(), e.getCause());
    } catch (IOException | RuntimeException e) {
      if (e instanceof FreshetException f) {
        throw f;
      }
      throw FreshetException.user("State file " + file + " of " + operator + " is corrupt (" + e.getMessage()
          + "). Restore the checkpoint from a backup, or start the query with a new checkpoint location", e);
    }
  }

  /** Applies the rows of {@code root} that the filter selects, copied into a root of their own. */
  private void applySelected(VectorSchemaRoot root, Consumer<VectorSchemaRoot> apply) {
    int[] rows = new int[root.getRowCount()];
    int n = filter.select(root, rows);
    if (n == rows.length) {
      apply.accept(root);
      return;
    }
    try (VectorSchemaRoot selected = VectorSchemaRoot.create(root.getSchema(), allocator)) {
      selected.allocateNew();
      for (int c = 0; c < root.getFieldVectors().size(); c++) {
        TransferPair copy = root.getVector(c).makeTransferPair(selected.getVector(c));
        for (int i = 0; i < n; i++) {
          copy.copyValueSafe(rows[i], i);
        }
      }
      selected.setRowCount(n);
      apply.accept(selected);
    }
  }

  /** Marks a failure of the operator applying a file, as opposed to a file that cannot be read. */
  private static final class ApplyFailure extends RuntimeException {
    ApplyFailure(RuntimeException cause) {
      super(cause);
    }
  }

  private void purgeBefore(long snapshotVersion) {
    long previousSnapshot = -1;
    try (Stream<Path> files = Files.list(directory)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        long v = versionOf(p, SNAPSHOT);
        if (v >= 0 && v < snapshotVersion) {
          previousSnapshot = Math.max(previousSnapshot, v);
        }
      }
    } catch (IOException e) {
      return;
    }
    if (previousSnapshot < 0) {
      return;
    }
    long keepFrom = previousSnapshot;
    try (Stream<Path> files = Files.list(directory)) {
      files.filter(p -> {
        long v = Math.max(versionOf(p, SNAPSHOT), versionOf(p, DELTA));
        return v >= 0 && v < keepFrom;
      }).forEach(StateStore::deleteQuietly);
    } catch (IOException e) {
      // Purging is housekeeping: a failure leaves extra files, never a wrong state.
    }
  }

  private static long versionOf(Path p, String suffix) {
    String name = p.getFileName().toString();
    if (!name.endsWith(suffix)) {
      return -1;
    }
    try {
      return Long.parseLong(name.substring(0, name.length() - suffix.length()));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      // see purgeBefore
    }
  }

  private Path file(long version, String suffix) {
    return directory.resolve(version + suffix);
  }
}
