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
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The manifest log of a file sink's directory, {@code _freshet_metadata/<batchId>}: each file lists the part files
 * one committed batch wrote, by their paths under the directory ({@code part-000003-0000.csv}, or
 * {@code a=1/part-000003-0000.csv} in a partition subdirectory). A part file that no manifest names (left by a
 * batch that crashed before its commit) is not part of the output; readers, Freshet's own file source among them,
 * read only the files named here.
 *
 * <p>A batch's commit is: {@link #begin} writes its intent marker {@code _freshet_metadata/<batchId>.pending}, the
 * sink renames its part files into place and forces the directory, then {@link #commit} writes the entry and deletes
 * the marker. So part files of a batch that has neither an entry nor a marker were named by an entry that is gone
 * (refused at start), while those of a batch with a marker and no entry are an attempt that never committed here,
 * which the clean-up {@link #checkCommitted} returns deletes.
 */
public final class SinkManifest {
  public static final String DIRECTORY = "_freshet_metadata";
  /** The suffix of a batch's intent marker, {@code <batchId>.pending}, which {@link #ids} does not list. */
  public static final String PENDING = ".pending";
  private static final Logger LOG = LoggerFactory.getLogger(SinkManifest.class);

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
    try {
      return parse(file, batchId);
    } catch (Unreadable e) {
      throw FreshetException.user("The file sink manifest " + file + " is " + e.getMessage() + ". It names the "
          + "files a committed batch wrote; restore it from a backup, or move the output away and start the query "
          + "with a new checkpoint location");
    }
  }

  /** Why an entry or marker cannot be read: missing, damaged, not of its batch. */
  private static final class Unreadable extends Exception {
    Unreadable(String why) {
      super(why, null, false, false);
    }
  }

  private static Entry parse(Path file, long batchId) throws Unreadable {
    Entry entry;
    try {
      String text = CheckpointFiles.readString(file);
      int newline = text.indexOf('\n');
      entry = Json.MAPPER.readValue(text.substring(newline + 1), Entry.class);
    } catch (CheckpointFiles.Damaged e) {
      throw new Unreadable(e.why());
    } catch (JsonProcessingException e) {
      throw new Unreadable("its JSON does not parse: " + e.getOriginalMessage());
    }
    if (entry.batchId() != batchId) {
      throw new Unreadable("the entry of batch " + entry.batchId() + ", not of batch " + batchId);
    }
    return entry;
  }

  /**
   * Checks the manifest against the query's checkpoint, and changes nothing: it returns the clean-up to carry out
   * once every other start check has passed too ({@link io.freshet.exec.connector.Sink#settle}), so that a start
   * refused here or by a later check leaves the output as it was.
   *
   * <p>The manifest holds no batch of query {@code queryId} after {@code lastPlanned}, the newest batch the
   * checkpoint logged offsets for. Every file an entry of the query names after {@code lastCommitted}, the newest
   * batch the checkpoint committed, is there: a restart skips that batch as held, so its output would be lost to
   * readers. A part file gone from an entry up to {@code lastCommitted} is only a warning (a downstream file source
   * with {@code cleanSource} deletes or moves the files it read, and no batch runs again over it). Every batch up to
   * {@code lastCommitted} that has part files here has its entry (one deleted, or the whole manifest emptied, would
   * lose the batch's output to readers), unless a readable intent marker of this query accounts for them: the batch
   * began its commit here, crashed, and committed at another output path. A committed batch with neither an entry
   * nor a part file here wrote no rows, or wrote elsewhere.
   *
   * <p>The clean-up settles the intent markers: a marker beside its batch's entry (a crash after the entry) is
   * deleted; a marker of this query without one is an attempt that never committed here (a crash during the commit,
   * after which the batch ran again here, or committed at another output path): the part files of its batch that
   * no entry names are deleted, as no reader trusts them, then the marker, and a warning says so. A re-run of the
   * batch here writes them again. Another query's marker is left as it is.
   */
  public static Runnable checkCommitted(Path directory, long lastCommitted, long lastPlanned, String queryId) {
    Path dir = directory.resolve(DIRECTORY);
    Set<Long> held = new HashSet<>();
    Set<String> named = new HashSet<>();
    Map<Long, List<String>> gone = new TreeMap<>();
    for (long id : ids(dir)) {
      Path file = dir.resolve(Long.toString(id));
      Entry entry = read(file, id);
      held.add(id); // another query's part files here are accounted for by its entry
      named.addAll(entry.files());
      if (entry.queryId() != null && !entry.queryId().equals(queryId)) {
        continue;
      }
      if (id > lastPlanned) {
        throw FreshetException.user("The output directory " + directory + " holds batch " + id + " ("
            + file + "), which the checkpoint has no offsets for (its newest is "
            + (lastPlanned < 0 ? "none" : "batch " + lastPlanned) + "): the checkpoint lost entries, and the "
            + "batch would be planned again over other input. Restore the checkpoint from a backup, or move the "
            + "output away and start the query with a new checkpoint location");
      }
      List<String> missing = entry.files().stream().filter(f -> !Files.exists(directory.resolve(f))).sorted()
          .toList();
      if (missing.isEmpty()) {
        continue;
      }
      if (id <= lastCommitted) {
        gone.put(id, missing);
        continue;
      }
      throw FreshetException.user("The output directory " + directory + " is missing " + missing + ", which "
          + "batch " + id + " committed and its manifest entry " + file + " names, and the checkpoint has not "
          + "committed the batch yet: it would be skipped as held, and readers of the output fail or lose its rows. "
          + "Restore the missing part file(s) from a backup; to write the batch again, delete its other part files "
          + entry.files() + " and the entry together; or move the output away and start the query with a new "
          + "checkpoint location");
    }
    Map<Long, Path> markers = markers(dir);
    Map<Long, Marker> owners = new TreeMap<>();
    for (var marker : markers.entrySet()) {
      if (!held.contains(marker.getKey())) {
        owners.put(marker.getKey(), owner(marker.getValue(), marker.getKey()));
      }
    }
    TreeMap<Long, List<String>> parts = parts(directory);
    for (var e : parts.headMap(lastCommitted, true).entrySet()) {
      long id = e.getKey();
      if (held.contains(id)) {
        continue;
      }
      List<String> names = new ArrayList<>(e.getValue());
      names.sort(null);
      Path entry = dir.resolve(Long.toString(id));
      String lost = "The file sink manifest " + entry + " is missing: batch " + id + " committed and wrote " + names
          + " to " + directory + ", and the manifest is the record of the files it wrote, so its output is lost to "
          + "readers";
      Marker marker = owners.get(id);
      if (marker == null) {
        throw FreshetException.user(lost + ". Restore the manifest from a backup, or move the output away and "
            + "start the query with a new checkpoint location");
      }
      if (marker.unreadable() != null) {
        throw FreshetException.user(lost + ", unless the batch's commit never finished here and it committed at "
            + "another output path, which its intent marker " + marker.path() + " would say, but the marker is "
            + marker.unreadable() + ". Restore the entry or the marker from a backup; if the batch committed at "
            + "another output path, delete " + names + " and the marker; or move the output away and start the "
            + "query with a new checkpoint location");
      }
      if (!marker.isOf(queryId)) {
        throw FreshetException.user(lost + "; the intent marker " + marker.path() + " beside it is of another "
            + "query (id " + marker.queryId() + ") and does not account for them. Restore the manifest from a "
            + "backup, or move the output away and start the query with a new checkpoint location");
      }
    }
    List<Runnable> steps = new ArrayList<>();
    if (!gone.isEmpty()) {
      // One line, however many batches (with 'cleanSource' downstream, every one): the first few by name.
      String some = gone.entrySet().stream().limit(5).map(e -> "batch " + e.getKey() + " " + e.getValue())
          .collect(java.util.stream.Collectors.joining(", ")) + (gone.size() > 5 ? " and "
          + (gone.size() - 5) + " more batches" : "");
      steps.add(() -> LOG.warn("The output directory {} no longer holds part files that committed batches wrote "
          + "and their manifest entries name ({}): readers of the output do not see their rows. A downstream file "
          + "source with 'cleanSource' deletes or moves the files it read; otherwise restore them from a backup",
          directory, some));
    }
    for (var marker : markers.entrySet()) {
      long id = marker.getKey();
      if (held.contains(id)) {
        steps.add(() -> delete(directory, id, marker.getValue(), List.of(), true));
        continue;
      }
      Marker owner = owners.get(id);
      if (!owner.isOf(queryId)) {
        continue;
      }
      List<String> unnamed = parts.getOrDefault(id, List.of()).stream().filter(n -> !named.contains(n)).sorted()
          .toList();
      steps.add(() -> {
        if (owner.unreadable() != null) {
          // Its name says which batch it marks; its content only whose it is.
          LOG.warn("The file sink's intent marker {} is {}; taken as this query's", owner.path(), owner.unreadable());
        }
        delete(directory, id, owner.path(), unnamed, false);
      });
    }
    return () -> steps.forEach(Runnable::run);
  }

  /** An intent marker without its entry: whose it is, or why that cannot be read. */
  private record Marker(Path path, String queryId, String unreadable) {
    /** Whether it is the query's: an unreadable one is taken as the query's (it has no other writer). */
    boolean isOf(String query) {
      return unreadable != null || queryId == null || queryId.equals(query);
    }
  }

  private static Marker owner(Path marker, long batchId) {
    try {
      return new Marker(marker, parse(marker, batchId).queryId(), null);
    } catch (Unreadable e) {
      return new Marker(marker, null, e.getMessage());
    }
  }

  /**
   * Settles the intent marker of batch {@code batchId}: deleted, after the batch's part files {@code unnamed}
   * (which no entry names) when the batch has no entry here.
   */
  private static void delete(Path directory, long batchId, Path marker, List<String> unnamed, boolean hasEntry) {
    try {
      if (hasEntry) {
        Files.deleteIfExists(marker);
        return;
      }
      Set<Path> parents = new java.util.LinkedHashSet<>();
      for (String name : unnamed) {
        Path file = directory.resolve(name);
        Files.deleteIfExists(file);
        parents.add(file.getParent());
      }
      parents.add(directory);
      for (Path parent : parents) {
        CheckpointFiles.forceDirectory(parent);
      }
      Files.deleteIfExists(marker);
      LOG.warn("Batch {} began a commit to {} and did not finish it there ({} has no entry beside it): {}; the "
          + "batch is written again if it runs here", batchId, directory, marker, unnamed.isEmpty()
          ? "it had renamed no part file into place" : "deleted its part files " + unnamed + ", which no manifest "
          + "entry named");
    } catch (IOException e) {
      throw new FreshetException(FreshetException.Kind.EXTERNAL, "Cannot clear the unfinished commit of batch "
          + batchId + " in " + directory + " (" + marker + "): " + e.getMessage() + "; check permissions", e);
    }
  }

  /**
   * The part files in {@code directory} and its partition subdirectories ({@code a=1/b=x/}), by batch id, as paths
   * relative to it with {@code /} between names, as entries name them. Only partition directories are searched: not
   * hidden ones (the manifest log), nor another directory (another sink may write there, with its own manifest).
   */
  private static TreeMap<Long, List<String>> parts(Path directory) {
    TreeMap<Long, List<String>> parts = new TreeMap<>();
    try {
      Files.walkFileTree(directory, new java.nio.file.SimpleFileVisitor<>() {
        @Override
        public java.nio.file.FileVisitResult preVisitDirectory(Path dir,
            java.nio.file.attribute.BasicFileAttributes attributes) {
          if (dir.equals(directory)) {
            return java.nio.file.FileVisitResult.CONTINUE;
          }
          String name = dir.getFileName().toString();
          boolean partition = name.indexOf('=') > 0 && !HivePartitions.hiddenName(name)
              && !Files.exists(dir.resolve(DIRECTORY));
          return partition ? java.nio.file.FileVisitResult.CONTINUE : java.nio.file.FileVisitResult.SKIP_SUBTREE;
        }

        @Override
        public java.nio.file.FileVisitResult visitFile(Path p, java.nio.file.attribute.BasicFileAttributes a) {
          Matcher m = PART.matcher(p.getFileName().toString());
          if (m.matches()) {
            parts.computeIfAbsent(Long.parseLong(m.group(1)), k -> new ArrayList<>())
                .add(name(directory.relativize(p)));
          }
          return java.nio.file.FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException | java.io.UncheckedIOException e) {
      throw new FreshetException(FreshetException.Kind.EXTERNAL, "Cannot list " + directory + ": " + e.getMessage(),
          e);
    }
    return parts;
  }

  /** A relative path as an entry names it: its names joined by {@code /} on every platform. */
  private static String name(Path relative) {
    StringBuilder name = new StringBuilder();
    for (Path part : relative) {
      name.append(name.length() == 0 ? "" : "/").append(part);
    }
    return name.toString();
  }

  /**
   * Records that batch {@code batchId} is about to rename {@code files} into the directory: its intent marker,
   * written (and its directory forced) before the first rename, and deleted by {@link #commit}.
   */
  public static void begin(Path directory, long batchId, String queryId, List<String> files) {
    CheckpointFiles.write(metadata(directory).resolve(batchId + PENDING), payload(batchId, queryId, files));
  }

  /**
   * Records that batch {@code batchId} wrote {@code files} (names relative to the directory), atomically, then
   * deletes its intent marker. The caller has forced the renames of the files into the directory first.
   */
  public static void commit(Path directory, long batchId, String queryId, List<String> files) {
    Path dir = metadata(directory);
    CheckpointFiles.write(dir.resolve(Long.toString(batchId)), payload(batchId, queryId, files));
    try {
      // Not forced: a marker that comes back after a power loss is deleted at start, as its entry is there.
      Files.deleteIfExists(dir.resolve(batchId + PENDING));
    } catch (IOException e) {
      throw new FreshetException(FreshetException.Kind.EXTERNAL, "Cannot delete " + dir.resolve(batchId + PENDING)
          + ": " + e.getMessage() + "; check permissions (batch " + batchId + " is committed)", e);
    }
  }

  /** The manifest log's directory, created if need be. */
  private static Path metadata(Path directory) {
    Path dir = directory.resolve(DIRECTORY);
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new FreshetException(FreshetException.Kind.EXTERNAL, "Cannot create " + dir + ": " + e.getMessage(), e);
    }
    return dir;
  }

  /** An entry's bytes; an intent marker has the same, so that it says which query and which files it is for. */
  private static byte[] payload(long batchId, String queryId, List<String> files) {
    return ("v1\n" + Json.write(new Entry(batchId, queryId, files), false)).getBytes(StandardCharsets.UTF_8);
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

  /** The intent markers the manifest log holds, by batch id. */
  private static Map<Long, Path> markers(Path dir) {
    Map<Long, Path> markers = new TreeMap<>();
    try (Stream<Path> files = Files.list(dir)) {
      files.forEach(p -> {
        String name = p.getFileName().toString();
        if (name.endsWith(PENDING)) {
          try {
            markers.put(Long.parseLong(name.substring(0, name.length() - PENDING.length())), p);
          } catch (NumberFormatException e) {
            // not a marker
          }
        }
      });
    } catch (IOException e) {
      throw new FreshetException(FreshetException.Kind.EXTERNAL, "Cannot list " + dir + ": " + e.getMessage(), e);
    }
    return markers;
  }
}
