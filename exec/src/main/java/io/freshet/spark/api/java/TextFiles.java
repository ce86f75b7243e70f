package io.freshet.spark.api.java;

import io.freshet.spark.rdd.RDD;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Spark's text output layout: a directory of part-00000, part-00001, ... and _SUCCESS. */
final class TextFiles {
  private TextFiles() {
  }

  static void save(RDD<?> rdd, String path) {
    Path dir = Path.of(path);
    try {
      if (Files.exists(dir)) {
        throw new FileAlreadyExistsException("Output directory " + dir + " already exists");
      }
      Files.createDirectories(dir);
      List<? extends List<?>> parts = rdd.partitions();
      for (int i = 0; i < parts.size(); i++) {
        try (Writer w = Files.newBufferedWriter(dir.resolve(String.format("part-%05d", i)), StandardCharsets.UTF_8)) {
          for (Object o : parts.get(i)) {
            w.write(String.valueOf(o));
            w.write('\n');
          }
        }
      }
      Files.createFile(dir.resolve("_SUCCESS"));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot save text files to " + dir + ": " + e.getMessage(), e);
    }
  }
}
