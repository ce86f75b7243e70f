package io.freshet.sql;

import io.freshet.streaming.FreshetException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where a persistent query keeps its checkpoint: a directory under the checkpoint root, named after its sink. */
final class CheckpointLocations {
  private CheckpointLocations() {
  }

  /**
   * The checkpoint of the query writing into {@code sink} under {@code root} (null when no root is set: the query
   * then takes a temporary one). The directory's name is the sink's name with every character other than a
   * letter, digit, {@code _} or {@code -} written {@code %XX} (UTF-8), so that no name ({@code ../x}, an absolute
   * path) leads outside the root, and two names never share a directory. A checkpoint an earlier version kept under
   * the name as it stands (a name with other characters, such as a non-ASCII letter) is still used where it is.
   */
  static Path of(String root, String sink) {
    if (root == null) {
      return null;
    }
    Path base = Path.of(root).toAbsolutePath().normalize();
    Path location = base.resolve(directoryName(sink)).normalize();
    if (!Files.exists(location)) {
      Path earlier = base.resolve(sink).normalize();
      if (earlier.getParent() != null && earlier.getParent().equals(base) && Files.isDirectory(earlier)) {
        return earlier;
      }
    }
    if (!location.getParent().equals(base)) {
      throw FreshetException.internal("The checkpoint of " + sink + " would be " + location + ", outside " + base,
          null);
    }
    return location;
  }

  static String directoryName(String name) {
    StringBuilder out = new StringBuilder();
    for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if (c < 128 && (Character.isLetterOrDigit(c) || c == '_' || c == '-')) {
        out.append(c);
      } else {
        out.append('%').append(String.format("%02X", b & 0xff));
      }
    }
    return out.toString();
  }
}
