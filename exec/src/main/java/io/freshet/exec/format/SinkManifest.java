package io.freshet.exec.format;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.freshet.exec.connector.CheckpointFiles;
import io.freshet.streaming.FreshetException;
import io.freshet.streaming.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The manifest log of a file sink's directory, {@code _freshet_metadata/<batchId>}: each file lists the part files
 * one committed batch wrote. A part file that no manifest names (left by a batch that crashed before its commit)
 * is not part of the output; readers, Freshet's own file source among them, read only the files named here.
 */
public final class SinkManifest {
  public static final String DIRECTORY = "_freshet_metadata";

  /**
   * One batch's entry: the query that wrote it and its files. (Entries written before this version also carry the
   * first batch the query wrote here, which is no longer needed.)
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Entry(long batchId, String queryId, List<String> files) { }

  /** A part file's name: {@code part-<batch>-<n>.<format>}. */
  public static String partName(long batchId, int n, String extension) {
    return String.format("part-%06d-%04d.%s", batchId, n, extension);
  }

  private static final Pattern PART = Pattern.compile("part-(\\d{6,})-\\d{4,}\\..*");

  private SinkManifest() {
  }

  public static boolean exists(Path directory) {
    return Files.isDirectory(directory.resolve(DIRECTORY));
  }

  /** Creates the manifest log, so that readers trust it (and not a listing) from before the first commit. */
  public static void create(Path directory) {
    try {
      Files.createDirectories(directory.resolve(DIRECTORY));
    } catch (IOException e) {
      throw new FreshetException(FreshetException.Kind.EXTERNAL, "Cannot create " + directory.resolve(DIRECTORY)
          + ": " + e.getMessage() + "; check the path and permissions", e);
    }
  }

  /**
   * Whether the directory holds batch {@code batchId} of query {@code queryId}. The batch written by another
   * query (a new checkpoint location writing to an old output path) is an error: its ids would collide.
   */
  public static boolean holds(Path directory, long batchId, String queryId) {
    Path file = directory.resolve(DIRECTORY).resolve(Long.toString(batchId));
    if (!Files.exists(file)) {
      return false;
    }
    Entry entry = read(file, batchId);
    if (entry.queryId() != null && !entry.queryId().equals(queryId)) {
      throw FreshetException.user("The output directory " + directory + " already holds batch " + batchId
          + " written by another query (id " + entry.queryId() + "); a query with a new checkpoint location needs a "
          + "new output path, or restart the old query from its checkpoint");
    }
    return true;
  }

  private static Entry read(Path file, long batchId) {
    String why;
    try {
      String text = CheckpointFiles.readString(file);
      int newline = text.indexOf('\n');
      Entry entry = Json.MAPPER.readValue(text.substring(newline + 1), Entry.class);
      if (entry.batchId() == batchId) {
        return entry;
      }
      why = "the entry of batch " + entry.batchId() + ", not of batch " + batchId;
    } catch (CheckpointFiles.Damaged e) {
      why = e.why();
    } catch (JsonProcessingException e) {
      why = "its JSON does not parse: " + e.getOriginalMessage();
    }
    throw FreshetException.user("The file sink manifest " + file + " is " + why + ". It names the files a "
        + "committed batch wrote; restore it from a backup, or move the output away and start the query with a "
        + "new checkpoint location");
  }

  /**
   * Checks the manifest against the query's checkpoint: it holds no batch of query {@code queryId} after
   * {@code lastPlanned}, the newest batch the checkpoint logged offsets for, and every batch up to
   * {@code lastCommitted}, the newest it committed, that wrote part files here has its entry (one deleted, or the
   * whole manifest emptied, would lose the batch's output to readers). A committed batch with neither an entry nor
   * a part file here wrote no rows, or wrote elsewhere (the query's output path changed between runs).
   */
  public static void checkCommitted(Path directory, long lastCommitted, long lastPlanned, String queryId) {
    Path dir = directory.resolve(DIRECTORY);
    Set<Long> held = new HashSet<>();
    for (long id : ids(dir)) {
      Entry entry = read(dir.resolve(Long.toString(id)), id);
      held.add(id); // another query's part files here are accounted for by its entry
      if (entry.queryId() != null && !entry.queryId().equals(queryId)) {
        continue;
      }
      if (id > lastPlanned) {
        throw FreshetException.user("The output directory " + directory + " holds batch " + id + " ("
            + dir.resolve(Long.toString(id)) + "), which the checkpoint has no offsets for (its newest is "
            + (lastPlanned < 0 ? "none" : "batch " + lastPlanned) + "): the checkpoint lost entries, and the "
            + "batch would be planned again over other input. Restore the checkpoint from a backup, or move the "
            + "output away and start the query with a new checkpoint location");
      }
    }
    TreeMap<Long, List<String>> parts = new TreeMap<>();
    try (Stream<Path> files = Files.list(directory)) {
      files.forEach(p -> {
        Matcher m = PART.matcher(p.getFileName().toString());
        if (m.matches()) {
          parts.computeIfAbsent(Long.parseLong(m.group(1)), k -> new ArrayList<>()).add(p.getFileName().toString());
        }
      });
    } catch (IOException e) {
      throw new FreshetException(FreshetException.Kind.EXTERNAL, "Cannot list " + directory + ": " + e.getMessage(),
          e);
    }
    for (var e : parts.headMap(lastCommitted, true).entrySet()) {
      if (!held.contains(e.getKey())) {
        List<String> names = e.getValue();
        names.sort(null);
        throw FreshetException.user("The file sink manifest " + dir.resolve(Long.toString(e.getKey())) + " is "
            + "missing: batch " + e.getKey() + " committed and wrote " + names + " to " + directory + ", and the "
            + "manifest is the record of the files it wrote, so its output is lost to readers. Restore the manifest "
            + "from a backup, or move the output away and start the query with a new checkpoint location");
      }
    }
  }

  /** Records that batch {@code batchId} wrote {@code files} (names relative to the directory), atomically. */
  public static void commit(Path directory, long batchId, String queryId, List<String> files) {
    Path dir = directory.resolve(DIRECTORY);
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new FreshetException(FreshetException.Kind.EXTERNAL, "Cannot create " + dir + ": " + e.getMessage(), e);
    }
    CheckpointFiles.write(dir.resolve(Long.toString(batchId)),
        ("v1\n" + Json.write(new Entry(batchId, queryId, files), false)).getBytes(StandardCharsets.UTF_8));
  }

  /** The committed part files, oldest batch first, as paths under {@code directory}. */
  public static List<Path> committedFiles(Path directory) {
    Path dir = directory.resolve(DIRECTORY);
    List<Path> result = new ArrayList<>();
    for (long id : ids(dir)) {
      read(dir.resolve(Long.toString(id)), id).files().forEach(f -> result.add(directory.resolve(f)));
    }
    return result;
  }

  /** The batch ids the manifest log holds, in order. */
  private static List<Long> ids(Path dir) {
    List<Long> ids = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      files.forEach(p -> {
        try {
          ids.add(Long.parseLong(p.getFileName().toString()));
        } catch (NumberFormatException e) {
          // a temporary file of a manifest being written
        }
      });
    } catch (IOException e) {
      throw new FreshetException(FreshetException.Kind.EXTERNAL, "Cannot list " + dir + ": " + e.getMessage(), e);
    }
    ids.sort(null);
    return ids;
  }
}
