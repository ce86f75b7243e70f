package io.freshet.spark.api.java;

import io.freshet.spark.rdd.RDD;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import scala.Tuple2;

/**
 * Text files as Spark reads and writes them: {@code textFile}'s lines in Hadoop's splits, {@code wholeTextFiles},
 * and the output layout of {@code saveAsTextFile} (a directory of part-00000, part-00001, ... and _SUCCESS).
 */
final class TextFiles {
  /** Hadoop's local file system block size, the largest split. */
  private static final long BLOCK = 32L << 20;
  /** Hadoop's slop: the last split may be up to 1.1 times the split size. */
  private static final double SLOP = 1.1;
  private TextFiles() {
  }

  static void save(RDD<?> rdd, String path) {
    Path dir = Path.of(path);
    try {
      if (Files.exists(dir)) {
        throw new FileAlreadyExistsException("Output directory " + dir + " already exists");
      }
      Files.createDirectories(dir);
      for (int i = 0; i < rdd.numPartitions(); i++) {
        try (Writer w = Files.newBufferedWriter(dir.resolve(String.format("part-%05d", i)), StandardCharsets.UTF_8)) {
          for (java.util.Iterator<?> it = rdd.iterator(i); it.hasNext(); ) {
            w.write(String.valueOf(it.next()));
            w.write('\n');
          }
        }
      }
      Files.createFile(dir.resolve("_SUCCESS"));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot save text files to " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * The files {@code path} names: a file, a directory's files (not hidden, not _-prefixed), a glob in the last part
   * of a path ({@code /data/*.txt}), or a comma list of those.
   */
  static List<Path> files(String path) {
    List<Path> files = new ArrayList<>();
    for (String one : path.split(",")) {
      String name = one.trim().startsWith("file:") ? one.trim().substring("file:".length()) : one.trim();
      Path p = Path.of(name);
      String last = p.getFileName() == null ? "" : p.getFileName().toString();
      if (isGlob(last)) {
        Path dir = p.toAbsolutePath().getParent();
        if (isGlob(dir.toString())) {
          throw new IllegalArgumentException("Input path " + name + ": a glob may only be in the last part of the "
              + "path (e.g. /data/in/*.txt)");
        }
        java.nio.file.PathMatcher matcher = dir.getFileSystem().getPathMatcher("glob:" + last);
        int before = files.size();
        listFiles(dir, f -> matcher.matches(f.getFileName()), files);
        if (files.size() == before) {
          throw new UncheckedIOException(new NoSuchFileException("Input Pattern " + p.toAbsolutePath()
              + " matches 0 files"));
        }
      } else if (Files.isDirectory(p)) {
        listFiles(p, f -> true, files);
      } else if (Files.isRegularFile(p)) {
        files.add(p);
      } else {
        throw new UncheckedIOException(new NoSuchFileException("Input path does not exist: " + p.toAbsolutePath()));
      }
    }
    return files;
  }

  private static boolean isGlob(String path) {
    return path.chars().anyMatch(c -> "*?[{".indexOf(c) >= 0);
  }

  /** The regular files of {@code dir} that {@code keep} takes, not hidden nor _-prefixed, in name order. */
  private static void listFiles(Path dir, java.util.function.Predicate<Path> keep, List<Path> into) {
    try (Stream<Path> list = Files.list(dir)) {
      list.filter(f -> Files.isRegularFile(f) && !f.getFileName().toString().startsWith(".")
          && !f.getFileName().toString().startsWith("_") && keep.test(f)).sorted().forEach(into::add);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * Spark's textFile: each file cut into Hadoop's splits (at most {@code totalSize / minPartitions} bytes, one
   * split per empty file), a line going to the split its first byte follows (the first split also takes the line
   * at byte 0), lines without their terminator ({@code \n}, {@code \r\n} or a lone {@code \r}) and the first
   * without a UTF-8 byte order mark, one partition per split.
   */
  static RDD<String> lines(String path, int minPartitions) {
    List<Path> files = files(path);
    List<byte[]> contents = new ArrayList<>();
    long total = 0;
    for (Path f : files) {
      byte[] bytes = read(f);
      contents.add(bytes);
      total += bytes.length;
    }
    long split = Math.max(1, Math.min(total / Math.max(1, minPartitions), BLOCK));
    List<List<String>> parts = new ArrayList<>();
    for (byte[] bytes : contents) {
      List<Long> starts = new ArrayList<>();
      long remaining = bytes.length;
      while ((double) remaining / split > SLOP) {
        starts.add(bytes.length - remaining);
        remaining -= split;
      }
      starts.add(bytes.length - remaining);
      int first = parts.size();
      starts.forEach(s -> parts.add(new ArrayList<>()));
      int at = 0;
      int index = 0;
      while (at < bytes.length) {
        // A line ends at \n, \r\n or a lone \r, as Hadoop's line reader has it.
        int end = at;
        while (end < bytes.length && bytes[end] != '\n' && bytes[end] != '\r') {
          end++;
        }
        int next = end < bytes.length && bytes[end] == '\r' && end + 1 < bytes.length && bytes[end + 1] == '\n'
            ? end + 2 : end + 1;
        while (index + 1 < starts.size() && starts.get(index + 1) < at) {
          index++;
        }
        // The first line without a UTF-8 byte order mark, as Hadoop's LineRecordReader skips it.
        int from = at == 0 && end >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB
            && (bytes[2] & 0xFF) == 0xBF ? 3 : at;
        parts.get(first + index).add(new String(bytes, from, end - from, StandardCharsets.UTF_8));
        at = next;
      }
    }
    return new RDD<>(parts);
  }

  /** Spark's wholeTextFiles: (the file's URI, its whole text) per file, in name order. */
  static RDD<Tuple2<String, String>> whole(String path, int minPartitions) {
    List<Tuple2<String, String>> pairs = new ArrayList<>();
    for (Path f : files(path)) {
      pairs.add(new Tuple2<>("file:" + f.toAbsolutePath(), new String(read(f), StandardCharsets.UTF_8)));
    }
    return RDD.parallelize(pairs, Math.max(1, Math.min(minPartitions, pairs.size())));
  }

  private static byte[] read(Path f) {
    try {
      return Files.readAllBytes(f);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + f + ": " + e.getMessage(), e);
    }
  }
}
