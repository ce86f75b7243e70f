package io.freshet.sinks.file;

import io.freshet.exec.batch.Batch;
import io.freshet.exec.connector.BatchWriter;
import io.freshet.exec.connector.CheckpointFiles;
import io.freshet.exec.format.ByteSink;
import io.freshet.exec.format.HivePartitions;
import io.freshet.exec.format.RecordEncoder;
import io.freshet.exec.format.SinkManifest;
import io.freshet.streaming.FreshetException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes one batch's part files: hidden in-progress files while the batch runs, in the output directory or, with
 * partition columns, in its {@code col=value/} subdirectories (one series of parts per subdirectory), made visible
 * by {@link #commit} as {@link FileSinkProvider} describes. The rows of all parts wait in memory up to about 1 MiB
 * before they are appended to their files, so that many partitions hold neither much memory nor open files.
 */
final class PartWriter implements BatchWriter {
  private static final int FLUSH_BYTES = 1 << 20;

  /** The settings every batch's writer shares. */
  record Layout(Path dir, String queryId, String extension, long maxFileSize, RecordEncoder encoder, boolean header,
      String[] partitionNames, int[] partitionColumns) { }

  /** The parts of one (sub)directory: its rows not yet appended, and its part files so far. */
  private static final class Output {
    /** The directory relative to the output, {@code a=1/b=x/}, or empty. */
    final String prefix;
    /** Small to start with, and small again after each flush: a batch may touch many directories. */
    final ByteSink buffer = new ByteSink(256);
    final List<Path> inProgress = new ArrayList<>();
    final List<String> names = new ArrayList<>();
    /** Bytes in the current part's file; -1 when no part is open. */
    long written = -1;

    Output(String prefix) {
      this.prefix = prefix;
    }
  }

  private final Layout layout;
  private final long batchId;
  private final Map<String, Output> outputs = new LinkedHashMap<>();
  private long buffered;

  PartWriter(Layout layout, long batchId) {
    this.layout = layout;
    this.batchId = batchId;
  }

  /** The subdirectory of row {@code row}: {@code a=1/b=x/} for partition columns a and b, else empty. */
  private String prefix(Batch batch, int row) {
    if (layout.partitionColumns().length == 0) {
      return "";
    }
    StringBuilder prefix = new StringBuilder();
    for (int i = 0; i < layout.partitionColumns().length; i++) {
      prefix.append(HivePartitions.directory(layout.partitionNames()[i],
          batch.value(layout.partitionColumns()[i], row))).append('/');
    }
    return prefix.toString();
  }

  @Override
  public void write(Batch batch) {
    try {
      Output last = null;
      String lastPrefix = null;
      for (int row = 0; row < batch.rowCount(); row++) {
        String prefix = prefix(batch, row);
        Output out = last != null && prefix.equals(lastPrefix) ? last
            : outputs.computeIfAbsent(prefix, Output::new);
        last = out;
        lastPrefix = prefix;
        if (out.written < 0) {
          startPart(out);
        }
        int before = out.buffer.length();
        layout.encoder().encode(batch, row, out.buffer);
        buffered += out.buffer.length() - before;
        if (out.written + out.buffer.length() >= layout.maxFileSize()) {
          flush(out);
          out.written = -1; // the next row of this directory starts its next part
        } else if (buffered >= FLUSH_BYTES) {
          for (Output o : outputs.values()) {
            flush(o);
          }
        }
      }
    } catch (IOException e) {
      throw failed(e);
    }
  }

  private void startPart(Output out) throws IOException {
    String name = out.prefix + SinkManifest.partName(batchId, out.names.size(), layout.extension());
    Path target = layout.dir().resolve(name);
    Files.createDirectories(target.getParent());
    Path tmp = target.resolveSibling("." + target.getFileName() + ".inprogress");
    // A crashed attempt's in-progress file is written over.
    Files.deleteIfExists(tmp);
    Files.createFile(tmp);
    out.inProgress.add(tmp);
    out.names.add(name);
    out.written = 0;
    if (layout.header()) {
      int before = out.buffer.length();
      layout.encoder().header(out.buffer);
      buffered += out.buffer.length() - before;
    }
  }

  /** Appends the directory's waiting rows to its current part's file. */
  private void flush(Output out) throws IOException {
    if (out.buffer.length() == 0) {
      return;
    }
    Path file = out.inProgress.get(out.inProgress.size() - 1);
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
      ByteBuffer bytes = ByteBuffer.wrap(out.buffer.array(), 0, out.buffer.length());
      while (bytes.hasRemaining()) {
        out.written += channel.write(bytes);
      }
    }
    buffered -= out.buffer.length();
    out.buffer.release();
  }

  private FreshetException failed(IOException e) {
    return new FreshetException(FreshetException.Kind.EXTERNAL, "Cannot write batch " + batchId + " to "
        + layout.dir() + ": " + e.getMessage() + "; check free disk space and permissions (the batch is not "
        + "committed and runs again when the query restarts)", e);
  }

  @Override
  public void commit() {
    Path dir = layout.dir();
    try {
      List<Path> inProgress = new ArrayList<>();
      List<String> names = new ArrayList<>();
      for (Output out : outputs.values()) {
        flush(out);
        inProgress.addAll(out.inProgress);
        names.addAll(out.names);
      }
      for (Path file : inProgress) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
          channel.force(true);
        }
      }
      if (!names.isEmpty()) {
        // Before the first rename: a crash from here to the entry leaves part files the marker accounts for.
        SinkManifest.begin(dir, batchId, layout.queryId(), names);
      }
      // The directories whose entries change, deepest first, up to the output directory.
      Set<Path> touched = new LinkedHashSet<>();
      for (int i = 0; i < names.size(); i++) {
        Path target = dir.resolve(names.get(i));
        Files.move(inProgress.get(i), target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        for (Path p = target.getParent(); p.startsWith(dir); p = p.getParent()) {
          touched.add(p);
        }
      }
      touched.add(dir);
      // The renames (and new subdirectories) reach the disk before the entry that names them.
      for (Path p : touched) {
        CheckpointFiles.forceDirectory(p);
      }
      SinkManifest.commit(dir, batchId, layout.queryId(), names);
    } catch (IOException e) {
      throw failed(e);
    }
  }

  @Override
  public void abort() {
    for (Output out : outputs.values()) {
      for (Path p : out.inProgress) {
        try {
          Files.deleteIfExists(p);
        } catch (IOException ignored) {
          // the files are hidden and written over by the next attempt
        }
      }
    }
  }
}
