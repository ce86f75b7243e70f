package io.freshet.exec.connector;

import io.freshet.streaming.FreshetException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes a file so that a crash leaves either the old file or the whole new one: a temporary file beside it,
 * forced to disk, then renamed over the target. For the files a query keeps in its checkpoint, the engine's and the
 * connectors' own (a file source's listing log, a Kafka source's initial offsets).
 */
public final class AtomicFiles {
  private AtomicFiles() {
  }

  public static void write(Path file, byte[] bytes) {
    write(file, bytes, null);
  }

  /** As above; {@code beforeRename}, when not null, runs between the forced temporary file and the rename. */
  public static void write(Path file, byte[] bytes, Runnable beforeRename) {
    Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING)) {
        ch.write(ByteBuffer.wrap(bytes));
        ch.force(true);
      }
      if (beforeRename != null) {
        beforeRename.run();
      }
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new FreshetException(FreshetException.Kind.EXTERNAL, "Cannot write checkpoint file " + file + ": "
          + e.getMessage() + "; check free disk space and permissions", e);
    }
  }
}
