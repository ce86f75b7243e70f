package io.freshet.exec.format;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.freshet.exec.connector.AtomicFiles;
import io.freshet.streaming.FreshetException;
import io.freshet.streaming.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The manifest log of a file sink's directory, {@code _freshet_metadata/<batchId>}: each file lists the part files
 * one committed batch wrote. A part file that no manifest names (left by a batch that crashed before its commit)
 * is not part of the output; readers, Freshet's own file source among them, read only the files named here.
 */
public final class SinkManifest {
  public static final String DIRECTORY = "_freshet_metadata";

  /** One batch's entry: the query that wrote it and its files. */
  public record Entry(long batchId, String queryId, List<String> files) { }

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
    Entry entry = read(file);
    if (entry.queryId() != null && !entry.queryId().equals(queryId)) {
      throw FreshetException.user("The output directory " + directory + " already holds batch " + batchId
          + " written by another query (id " + entry.queryId() + "); a query with a new checkpoint location needs a "
          + "new output path, or restart the old query from its checkpoint");
    }
    return true;
  }

  private static Entry read(Path file) {
    try {
      String text = Files.readString(file, StandardCharsets.UTF_8);
      int newline = text.indexOf('\n');
      return Json.MAPPER.readValue(text.substring(newline + 1), Entry.class);
    } catch (IOException | RuntimeException e) {
      String why = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
      throw FreshetException.user("The file sink manifest " + file + " is corrupt (" + why + "); restore it or "
          + "remove the directory's output");
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
    AtomicFiles.write(dir.resolve(Long.toString(batchId)),
        ("v1\n" + Json.write(new Entry(batchId, queryId, files), false)).getBytes(StandardCharsets.UTF_8));
  }

  /** The committed part files, oldest batch first, as paths under {@code directory}. */
  public static List<Path> committedFiles(Path directory) {
    Path dir = directory.resolve(DIRECTORY);
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
    List<Path> result = new ArrayList<>();
    for (long id : ids) {
      read(dir.resolve(Long.toString(id))).files().forEach(f -> result.add(directory.resolve(f)));
    }
    return result;
  }
}
