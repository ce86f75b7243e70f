package io.freshet.spark.streaming.dstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.freshet.exec.connector.CheckpointFiles;
import io.freshet.spark.rdd.RDD;
import io.freshet.spark.streaming.Duration;
import io.freshet.spark.streaming.Time;
import io.freshet.exec.engine.Checkpoint;
import io.freshet.streaming.FreshetException;
import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.arrow.memory.BufferAllocator;

/**
 * The part of a checkpoint that belongs to a DStream program's graph, under {@code dstreams/}: {@code graph.json}
 * (the batch interval, the zero time, and the class of each stream whose RDDs are kept) and, per such stream,
 * {@code <id>/<batch time ms>.arrow}, each RDD it remembers (its state, or the batches a window over it still
 * needs), written once by the batch that made it, before the engine commits that batch. A file is deleted one
 * batch after its stream forgot it, when the batch that might need it again is surely committed. On a restart
 * the files up to the last committed batch time come back into their streams; later ones, from a batch that did
 * not commit, are deleted, and that batch runs again. An RDD file brings back objects only of the classes
 * {@link StateClasses} allows. The context holds the checkpoint's lock while this reads and writes it.
 */
public final class DStreamCheckpoint {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path root;
  private final BufferAllocator allocator;
  private final Duration batchDuration;
  private final StateClasses classes;
  private final Map<Integer, TreeSet<Long>> onDisk = new HashMap<>();
  private final List<Path> toDelete = new ArrayList<>();

  public DStreamCheckpoint(Path checkpointRoot, BufferAllocator allocator, Duration batchDuration,
      StateClasses classes) {
    this.root = checkpointRoot.resolve("dstreams");
    this.allocator = allocator;
    this.batchDuration = batchDuration;
    this.classes = classes;
  }

  /** The graph file, which records among other things which receivers' write-ahead logs were enabled. */
  public Path graphFile() {
    return root.resolve("graph.json");
  }

  /**
   * The zero time the checkpoint's program started with, or {@code proposed} for a new checkpoint. A checkpoint
   * that has batches ({@code hasBatches}) has its graph file, written before its first batch: without it the zero
   * time, the streams' classes and the receivers' logs are unknown, and that is refused.
   */
  public Time zeroTime(Time proposed, boolean hasBatches) {
    JsonNode graph = readGraph();
    if (graph == null) {
      if (hasBatches) {
        throw FreshetException.user("The DStream graph file " + graphFile() + " of the checkpoint is missing, and "
            + "the checkpoint has batches: it is written before the first one, and holds the zero time, the "
            + "classes of the kept streams and which receivers' write-ahead logs were enabled. Restore the "
            + "checkpoint from a backup, or start with a new checkpoint directory");
      }
      return proposed;
    }
    long interval = graph.get("batchDurationMs").asLong();
    if (interval != batchDuration.milliseconds()) {
      throw FreshetException.user("The checkpoint " + root.getParent() + " was written by a program with a batch "
          + "interval of " + interval + " ms, and this one has " + batchDuration.milliseconds() + " ms. Keep the "
          + "interval, or start with a new checkpoint directory");
    }
    return new Time(graph.get("zeroTimeMs").asLong());
  }

  /**
   * The receivers whose write-ahead log an earlier start enabled, as the graph file records them (none in a new
   * checkpoint, or in one written before Freshet kept this record).
   */
  public Set<Integer> receiverLogs() {
    JsonNode graph = readGraph();
    Set<Integer> ids = new TreeSet<>();
    if (graph != null) {
      graph.path("receiverLogs").forEach(id -> ids.add(id.asInt()));
    }
    return ids;
  }

  private JsonNode readGraph() {
    if (!Files.exists(graphFile())) {
      return null;
    }
    try {
      return JSON.readTree(CheckpointFiles.read(graphFile()));
    } catch (IOException | CheckpointFiles.Damaged e) {
      throw FreshetException.user("The DStream graph file " + graphFile() + " of the checkpoint is corrupt ("
          + e.getMessage() + "). Restore the checkpoint from a backup, or start with a new checkpoint directory", e);
    }
  }

  /**
   * Brings back the kept RDDs of {@code streams} up to {@code committed} (null when no batch committed). A stream
   * whose number names a stream of another class in the checkpoint means the program changed its graph: that is
   * refused, since its state would go to the wrong stream. {@link #record} then writes the graph.
   */
  public void restore(List<DStream<?>> streams, Time committed) {
    JsonNode graph = readGraph();
    for (DStream<?> s : streams) {
      String name = s.getClass().getSimpleName();
      JsonNode before = graph == null ? null : graph.path("streams").get(Integer.toString(s.id()));
      if (before != null && !before.asText().equals(name)) {
        throw FreshetException.user("The checkpoint " + root.getParent() + " holds the state of stream " + s.id()
            + " as a " + before.asText() + ", but stream " + s.id() + " of this program is a " + name + ": the "
            + "program's streams changed. Build the same streams in the same order as the program that wrote the "
            + "checkpoint, or start with a new checkpoint directory");
      }
      TreeSet<Long> times = new TreeSet<>();
      onDisk.put(s.id(), times);
      for (Path file : files(s.id())) {
        long ms = Long.parseLong(file.getFileName().toString().replace(".arrow", ""));
        if (committed == null || ms > committed.milliseconds()) {
          delete(file);
          continue;
        }
        s.restore(new Time(ms), read(file, s));
        times.add(ms);
      }
    }
  }

  /**
   * Records the graph: the zero time, the class of each kept stream, and the receivers whose write-ahead log is
   * enabled now ({@code receiverLogs}) with those recorded before. Written once the logs are read back and before
   * anything is stored in them, it says on every later start that they must be there.
   */
  public void record(Time zero, List<DStream<?>> streams, Set<Integer> receiverLogs) {
    ObjectNode out = JSON.createObjectNode();
    out.put("batchDurationMs", batchDuration.milliseconds());
    out.put("zeroTimeMs", zero.milliseconds());
    ObjectNode classes = out.putObject("streams");
    for (DStream<?> s : streams) {
      classes.put(Integer.toString(s.id()), s.getClass().getSimpleName());
    }
    Set<Integer> logs = receiverLogs();
    logs.addAll(receiverLogs);
    com.fasterxml.jackson.databind.node.ArrayNode recorded = out.putArray("receiverLogs");
    for (int id : logs) {
      recorded.add(id);
    }
    try {
      Files.createDirectories(root);
      Checkpoint.writeAtomically(graphFile(), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(out));
    } catch (IOException e) {
      throw new FreshetException(FreshetException.Kind.EXTERNAL, "Cannot write " + graphFile() + ": " + e.getMessage()
          + "; check free disk space and permissions", e);
    }
  }

  private RDD<Object> read(Path file, DStream<?> stream) {
    try (SeekableByteChannel channel = CheckpointFiles.open(file)) {
      return RddCodec.decode(channel, allocator, classes, file.toString());
    } catch (StateClasses.NotAllowed e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw FreshetException.user("The checkpointed RDD " + file + " of " + describe(stream) + " cannot be read ("
          + e.getMessage() + "). Restore the checkpoint from a backup, or start with a new checkpoint directory", e);
    }
  }

  private static String describe(DStream<?> s) {
    return "stream " + s.id() + " (" + s.getClass().getSimpleName() + ")";
  }

  /**
   * After batch {@code time} ran and before it commits: writes the RDDs the kept streams remember that are not in
   * the checkpoint yet, and deletes what they had forgotten by the batch before (which has committed).
   */
  public void afterBatch(List<DStream<?>> streams) {
    toDelete.forEach(DStreamCheckpoint::delete);
    toDelete.clear();
    for (DStream<?> s : streams) {
      TreeSet<Long> times = onDisk.computeIfAbsent(s.id(), k -> new TreeSet<>());
      Set<Time> remembered = s.remembered().keySet();
      for (Time t : remembered) {
        if (!times.contains(t.milliseconds())) {
          Path dir = root.resolve(Integer.toString(s.id()));
          try {
            Files.createDirectories(dir);
          } catch (IOException e) {
            throw new FreshetException(FreshetException.Kind.EXTERNAL, "Cannot create " + dir + ": " + e.getMessage()
                + "; check free disk space and permissions", e);
          }
          byte[] bytes = RddCodec.encode(s.checkpointFormAt(t), allocator, describe(s));
          Checkpoint.writeAtomically(dir.resolve(t.milliseconds() + ".arrow"), bytes, "state-checkpoint");
          times.add(t.milliseconds());
        }
      }
      for (Long ms : new ArrayList<>(times)) {
        if (!remembered.contains(new Time(ms))) {
          toDelete.add(root.resolve(Integer.toString(s.id())).resolve(ms + ".arrow"));
          times.remove(ms);
        }
      }
    }
  }

  private List<Path> files(int id) {
    Path dir = root.resolve(Integer.toString(id));
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> list = Files.list(dir)) {
      return list.filter(p -> p.getFileName().toString().matches("\\d+\\.arrow"))
          .sorted(Comparator.comparingLong(p -> Long.parseLong(p.getFileName().toString().replace(".arrow", ""))))
          .toList();
    } catch (IOException e) {
      throw new FreshetException(FreshetException.Kind.EXTERNAL, "Cannot list " + dir + ": " + e.getMessage(), e);
    }
  }

  private static void delete(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      org.slf4j.LoggerFactory.getLogger(DStreamCheckpoint.class).warn("Cannot delete {}: {}", file, e.toString());
    }
  }
}
