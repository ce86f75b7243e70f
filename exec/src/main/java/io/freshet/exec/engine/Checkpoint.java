package io.freshet.exec.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.freshet.exec.connector.CheckpointFiles;
import io.freshet.streaming.FreshetException;
import io.freshet.streaming.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A query's checkpoint directory: {@code metadata} (query id, format version), {@code offsets/N} (what batch N
 * reads and the watermark in force, written before the batch runs) and {@code commits/N} (written after its
 * output is committed). Each file is written whole to a temporary name, forced to disk, then renamed, so a
 * reader sees either the old state or the new one. Old entries beyond {@link #RETAINED} are purged.
 */
public final class Checkpoint {
  static final int VERSION = 2;
  static final int RETAINED = 100;

  /** Batch {@code batchId} reads up to {@code offsets} (source name to offset JSON) with this watermark. */
  public record OffsetEntry(long batchId, long watermarkMs, long timestampMs, Map<String, String> offsets) { }

  /**
   * A committed batch: the query's watermark after it, and each source's own watermark (the largest value of its
   * watermark expression so far), so that a restart continues the minimum over sources where it left off.
   */
  public record CommitEntry(long batchId, long watermarkMs, Map<String, Long> sourceWatermarks) {
    public CommitEntry {
      sourceWatermarks = sourceWatermarks == null ? Map.of() : Map.copyOf(sourceWatermarks);
    }
  }

  record Metadata(String id, int version) { }

  private final Path root;
  private final Path offsets;
  private final Path commits;
  private Map<Integer, Integer> stateDirectories = Map.of();

  public Checkpoint(Path root) {
    this.root = root;
    this.offsets = root.resolve("offsets");
    this.commits = root.resolve("commits");
    try {
      Files.createDirectories(offsets);
      Files.createDirectories(commits);
    } catch (IOException e) {
      throw new FreshetException(FreshetException.Kind.EXTERNAL, "Cannot create the checkpoint directory " + root
          + ": " + e.getMessage() + "; check that the path is writable", e);
    }
  }

  /**
   * Where plan node {@code node} keeps the versions of the state of key groups {@code first..last}:
   * {@code state/<node>/<first>-<last>}.
   */
  public Path stateDirectory(int node, int first, int last) {
    return stateDirectory(node).resolve(first + "-" + last);
  }

  /**
   * Where plan node {@code node} keeps its state, one directory per range of key groups: {@code state/<id>}, where
   * the id is the node's id when the state was first written (a changed query can move a node to another id, see
   * {@link QueryEvolution}).
   */
  public Path stateDirectory(int node) {
    return root.resolve("state").resolve(Integer.toString(stateDirectories.getOrDefault(node, node)));
  }

  /** Sets, per plan node id, the directory under {@code state/} that holds its state. */
  void mapStateDirectories(Map<Integer, Integer> directories) {
    stateDirectories = Map.copyOf(directories);
  }

  public Path root() {
    return root;
  }

  /** The query id kept in {@code metadata}, created with a new id on first use. */
  public UUID queryId() {
    Path file = root.resolve("metadata");
    if (Files.exists(file)) {
      refuseEarlierFormat(file);
      Metadata m = read(file, Metadata.class);
      if (m.version() > VERSION) {
        throw FreshetException.user("Checkpoint " + root + " has format version " + m.version()
            + ", newer than this Freshet reads (" + VERSION + "); use a newer Freshet or a new checkpoint location");
      }
      return UUID.fromString(m.id());
    }
    if (latest(offsets).isPresent() || latest(commits).isPresent()) {
      throw FreshetException.user("Checkpoint file " + file + " is missing, and the checkpoint has run batches: the "
          + "query's id is lost, by which sinks tell its batches from another query's. Restore the file from a "
          + "backup, or start the query with a new checkpoint location");
    }
    UUID id = UUID.randomUUID();
    write(file, new Metadata(id.toString(), VERSION));
    return id;
  }

  /** A checkpoint that an earlier Freshet wrote, without checksums, is refused with what to do. */
  private void refuseEarlierFormat(Path metadata) {
    try {
      String text = Files.readString(metadata, StandardCharsets.UTF_8);
      if (text.startsWith("v1\n") && !text.contains("freshet-checksum")) {
        throw FreshetException.user("Checkpoint " + root + " was written by an earlier Freshet (checkpoint format "
            + "1, without checksums), which this one does not read; finish it with the Freshet that wrote it, or "
            + "start the query with a new checkpoint location");
      }
    } catch (IOException e) {
      // read() below says what is wrong with the file
    }
  }

  public OptionalLong latestOffsetBatch() {
    return latest(offsets);
  }

  public OptionalLong latestCommitBatch() {
    return latest(commits);
  }

  /**
   * The newest committed batch, falling back one batch when the newest commit entry is cut short or corrupt:
   * that batch then counts as uncommitted and runs again from its offset entry, which is safe because sinks
   * ignore a batch id they hold and state is restored at the version before it. The corrupt file is kept aside
   * as {@code .<n>.corrupt}. Anything else corrupt (an offset entry, an older commit) stops the query with a
   * message naming the file: falling back there could lose or double rows.
   */
  public OptionalLong latestCommitBatchFallingBack() {
    OptionalLong latest = latest(commits);
    if (latest.isEmpty()) {
      return latest;
    }
    long n = latest.getAsLong();
    Path file = commits.resolve(Long.toString(n));
    try {
      read(file, CommitEntry.class);
      return latest;
    } catch (CorruptFile e) {
      offsets(n); // the batch must be able to run again
      Path aside = commits.resolve("." + n + ".corrupt");
      try {
        Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
      } catch (IOException io) {
        throw new FreshetException(FreshetException.Kind.EXTERNAL, "Cannot move the corrupt commit entry " + file
            + " aside: " + io.getMessage(), io);
      }
      org.slf4j.LoggerFactory.getLogger(Checkpoint.class).warn("The commit entry {} is corrupt ({}); batch {} "
          + "counts as uncommitted and runs again. The file is kept as {}", file, e.getMessage(), n, aside);
      OptionalLong previous = latest(commits);
      if (previous.isPresent()) {
        commit(previous.getAsLong());
      }
      return previous;
    }
  }

  /**
   * The batch whose state a start restores, as {@link #latestCommitBatchFallingBack} will find it, without moving
   * anything aside: the newest committed batch, or the one before it when the newest commit entry is corrupt.
   */
  public OptionalLong latestCommitBatchToRestore() {
    OptionalLong latest = latest(commits);
    if (latest.isEmpty()) {
      return latest;
    }
    long n = latest.getAsLong();
    try {
      read(commits.resolve(Long.toString(n)), CommitEntry.class);
      return latest;
    } catch (CorruptFile e) {
      try (Stream<Path> files = Files.list(commits)) {
        return files.mapToLong(Checkpoint::batchIdOf).filter(id -> id >= 0 && id < n).max();
      } catch (IOException io) {
        throw new FreshetException(FreshetException.Kind.EXTERNAL, "Cannot list " + commits + ": "
            + io.getMessage(), io);
      }
    }
  }

  /**
   * Checks that the offset and commit entries agree, given the newest committed batch {@code lastCommit}: its
   * offset entry is there (else its input would be read and applied to its state a second time), and the batch
   * before the newest logged one committed (its offset entry is written only after that commit, so a missing
   * commit means commits were lost, and state would restart from an older version). Anything else missing or
   * damaged that a committed batch depends on is caught where it is read.
   */
  public void checkChain(OptionalLong lastCommit) {
    OptionalLong lastLogged = latest(offsets);
    if (lastCommit.isPresent()) {
      long c = lastCommit.getAsLong();
      Path entry = offsets.resolve(Long.toString(c));
      if (!Files.exists(entry)) {
        throw FreshetException.user("The checkpoint " + root + " is damaged: batch " + c + " committed ("
            + commits.resolve(Long.toString(c)) + ") but its offset entry " + entry + " is missing, so what it read "
            + "is unknown and running on would read it again. Restore the file from a backup, or start the query "
            + "with a new checkpoint location");
      }
      offsets(c);
    }
    if (lastLogged.isPresent() && lastLogged.getAsLong() > 0) {
      long before = lastLogged.getAsLong() - 1;
      if (lastCommit.isEmpty() || lastCommit.getAsLong() < before) {
        throw FreshetException.user("The checkpoint " + root + " is damaged: batch " + (before + 1) + " was planned "
            + "(" + offsets.resolve(Long.toString(before + 1)) + "), which happens only after batch " + before
            + " commits, but " + commits.resolve(Long.toString(before)) + " is missing or damaged"
            + (lastCommit.isPresent() ? " (the newest intact commit is batch " + lastCommit.getAsLong() + ")" : "")
            + ", so the state to resume from is lost. Restore the commit entries from a backup, or start the query "
            + "with a new checkpoint location");
      }
    }
  }

  /** A checkpoint file that exists but does not hold what it should. */
  static final class CorruptFile extends FreshetException {
    CorruptFile(String message, Throwable cause) {
      super(Kind.USER, message, cause);
    }
  }

  public OffsetEntry offsets(long batchId) {
    Path file = offsets.resolve(Long.toString(batchId));
    OffsetEntry entry = read(file, OffsetEntry.class);
    return ofBatch(file, batchId, entry.batchId(), entry);
  }

  public CommitEntry commit(long batchId) {
    Path file = commits.resolve(Long.toString(batchId));
    CommitEntry entry = read(file, CommitEntry.class);
    return ofBatch(file, batchId, entry.batchId(), entry);
  }

  /** An entry whose batch id is its file's name: an intact copy of another entry put in its place is refused. */
  private static <T> T ofBatch(Path file, long expected, long actual, T entry) {
    if (actual != expected) {
      throw corrupt(file, "it holds the entry of batch " + actual + ", not of batch " + expected, null);
    }
    return entry;
  }

  public void writeOffsets(OffsetEntry entry) {
    write(offsets.resolve(Long.toString(entry.batchId())), entry);
  }

  public void writeCommit(CommitEntry entry) {
    write(commits.resolve(Long.toString(entry.batchId())), entry);
    purge(entry.batchId() - RETAINED);
  }

  private void purge(long belowBatchId) {
    if (belowBatchId < 0) {
      return;
    }
    for (Path dir : new Path[] {offsets, commits}) {
      try (Stream<Path> files = Files.list(dir)) {
        files.filter(p -> batchIdOf(p) >= 0 && batchIdOf(p) < belowBatchId).forEach(p -> {
          try {
            Files.deleteIfExists(p);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
      } catch (IOException | UncheckedIOException e) {
        // Purging is housekeeping: a failure leaves extra files, never a wrong checkpoint.
      }
    }
  }

  private static long batchIdOf(Path p) {
    try {
      return Long.parseLong(p.getFileName().toString());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static OptionalLong latest(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      return files.mapToLong(Checkpoint::batchIdOf).filter(id -> id >= 0).max();
    } catch (IOException e) {
      throw new FreshetException(FreshetException.Kind.EXTERNAL, "Cannot list " + dir + ": " + e.getMessage(), e);
    }
  }

  private static <T> T read(Path file, Class<T> type) {
    String text;
    try {
      text = CheckpointFiles.readString(file);
    } catch (CheckpointFiles.Damaged e) {
      throw new CorruptFile(e.getMessage() + ". Restore it from a backup, or start the query with a new "
          + "checkpoint location", e);
    }
    int newline = text.indexOf('\n');
    if (!text.startsWith("v") || newline < 0) {
      throw corrupt(file, "it does not start with a version line", null);
    }
    int version;
    try {
      version = Integer.parseInt(text.substring(1, newline).trim());
    } catch (NumberFormatException e) {
      throw corrupt(file, "its version line is '" + text.substring(0, newline) + "'", e);
    }
    if (version > VERSION) {
      throw FreshetException.user("Checkpoint file " + file + " has format version " + version
          + ", newer than this Freshet reads (" + VERSION + ")");
    }
    try {
      return Json.MAPPER.readValue(text.substring(newline + 1), type);
    } catch (JsonProcessingException e) {
      throw corrupt(file, "its JSON does not parse (" + e.getOriginalMessage() + ")", e);
    }
  }

  private static FreshetException corrupt(Path file, String why, Throwable cause) {
    return new CorruptFile("Checkpoint file " + file + " is corrupt: " + why
        + ". Restore it from a backup, or start the query with a new checkpoint location", cause);
  }

  private static void write(Path file, Object value) {
    writeAtomically(file, ("v" + VERSION + "\n" + Json.write(value, false)).getBytes(StandardCharsets.UTF_8));
  }

  /** Writes a checkpoint file atomically, with its checksum ({@link CheckpointFiles}). */
  public static void writeAtomically(Path file, byte[] bytes) {
    CheckpointFiles.write(file, bytes);
  }

  /** As above; {@code crashPoint} names the moment between the temporary file and the rename for crash tests. */
  public static void writeAtomically(Path file, byte[] bytes, String crashPoint) {
    CheckpointFiles.write(file, bytes, crashPoint == null ? null : () -> CrashPoint.reached(crashPoint));
  }
}
