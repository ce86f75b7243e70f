package io.freshet.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** What a directory holds, to see that a refused start changed nothing in a checkpoint. */
final class DirectoryContents {
  private DirectoryContents() {
  }

  /** Every file under {@code dir}, by its path relative to it, with its bytes in hex. */
  static Map<String, String> of(Path dir) throws IOException {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.filter(Files::isRegularFile).toList()) {
        files.put(dir.relativize(p).toString(), HexFormat.of().formatHex(Files.readAllBytes(p)));
      }
    }
    return files;
  }
}
