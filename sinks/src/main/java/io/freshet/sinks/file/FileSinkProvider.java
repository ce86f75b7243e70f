package io.freshet.sinks.file;

import io.freshet.exec.batch.Batch;
import io.freshet.exec.connector.BatchWriter;
import io.freshet.exec.connector.CheckpointFiles;
import io.freshet.exec.connector.ConnectorContext;
import io.freshet.exec.connector.ConnectorOptions;
import io.freshet.exec.connector.OptionSpec;
import io.freshet.exec.connector.Sink;
import io.freshet.exec.connector.SinkProvider;
import io.freshet.exec.format.ByteSink;
import io.freshet.exec.format.FormatOptions;
import io.freshet.exec.format.RecordEncoder;
import io.freshet.exec.format.SinkManifest;
import io.freshet.exec.types.RowSchema;
import io.freshet.streaming.FreshetException;
import io.freshet.streaming.OutputMode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * {@code 'connector' = 'file'} as a sink: CSV or JSON-lines part files in a directory, exactly once. A batch
 * writes hidden in-progress files, and its commit makes them visible: each is forced to disk and renamed to
 * {@code part-<batch>-<n>.<format>} after an intent marker for the batch is written, the directory is forced, then
 * the batch is recorded in the manifest log {@code _freshet_metadata} and the marker deleted ({@link SinkManifest}).
 * A batch the manifest already holds (re-run after a crash) is not written again; a re-run of a batch that
 * crashed before its manifest entry rewrites the same part files with the same rows (the start deletes those the
 * crashed attempt renamed, by its marker).
 */
public final class FileSinkProvider implements SinkProvider {
  private static final int FLUSH_BYTES = 1 << 20;

  @Override
  public String name() {
    return "file";
  }

  @Override
  public List<OptionSpec> options() {
    List<OptionSpec> specs = new ArrayList<>(List.of(
        OptionSpec.required("path", "the output directory"),
        OptionSpec.optional("maxFileSize", "134217728", "a part file rolls over to the next once it has this many "
            + "bytes")));
    specs.addAll(FormatOptions.writerOptions());
    return specs;
  }

  @Override
  public Set<OutputMode> supportedModes() {
    return EnumSet.of(OutputMode.APPEND);
  }

  @Override
  public void validate(ConnectorOptions options, RowSchema declared) {
    FormatOptions format = format(options);
    if (options.getString("path").isBlank()) {
      throw options.invalid("path", options.getString("path"), "the output directory");
    }
    options.getPositiveLong("maxFileSize");
    if (declared != null) {
      new RecordEncoder(declared, format);
    }
  }

  /** CSV (the default), JSON lines, or text (one VARCHAR column). */
  private static FormatOptions format(ConnectorOptions options) {
    return FormatOptions.from(options, FormatOptions.Format.CSV);
  }

  @Override
  public Sink create(ConnectorContext context) {
    ConnectorOptions options = context.options();
    FormatOptions format = format(options);
    Path dir = Path.of(options.getString("path")).toAbsolutePath().normalize();
    long maxFileSize = options.getPositiveLong("maxFileSize");
    RowSchema schema = context.declaredSchema();
    RecordEncoder encoder = new RecordEncoder(schema, format);
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new FreshetException(FreshetException.Kind.EXTERNAL, "Cannot create the output directory " + dir + ": "
          + e.getMessage() + "; check the path and permissions", e);
    }
    SinkManifest.create(dir);
    String extension = format.format().name().toLowerCase(java.util.Locale.ROOT);
    return new Sink() {
      /** The unfinished commits {@link #checkCommitted} found, cleared by {@link #settle}. */
      private Runnable settlement = () -> { };

      @Override
      public BatchWriter beginBatch(long batchId, OutputMode mode) {
        if (SinkManifest.holds(dir, batchId, context.queryId())) {
          return BatchWriter.DISCARD;
        }
        return new PartWriter(dir, batchId, context.queryId(), extension, maxFileSize, encoder, format.header());
      }

      @Override
      public void checkCommitted(long lastCommitted, long lastPlanned) {
        settlement = SinkManifest.checkCommitted(dir, lastCommitted, lastPlanned, context.queryId());
      }

      @Override
      public void settle() {
        Runnable run = settlement;
        settlement = () -> { };
        run.run();
      }

      @Override
      public String description() {
        return "FileSink[" + dir + "]";
      }
    };
  }

  /** Writes one batch's part files. */
  private static final class PartWriter implements BatchWriter {
    private final Path dir;
    private final long batchId;
    private final String queryId;
    private final String extension;
    private final long maxFileSize;
    private final RecordEncoder encoder;
    private final boolean header;
    private final ByteSink buffer = new ByteSink();
    private final List<Path> inProgress = new ArrayList<>();
    private FileChannel channel;
    private long written;

    PartWriter(Path dir, long batchId, String queryId, String extension, long maxFileSize, RecordEncoder encoder,
        boolean header) {
      this.dir = dir;
      this.batchId = batchId;
      this.queryId = queryId;
      this.extension = extension;
      this.maxFileSize = maxFileSize;
      this.encoder = encoder;
      this.header = header;
    }

    private String partName(int n) {
      return SinkManifest.partName(batchId, n, extension);
    }

    @Override
    public void write(Batch batch) {
      try {
        for (int row = 0; row < batch.rowCount(); row++) {
          if (channel == null) {
            Path tmp = dir.resolve("." + partName(inProgress.size()) + ".inprogress");
            channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
            inProgress.add(tmp);
            written = 0;
            if (header) {
              encoder.header(buffer);
            }
          }
          encoder.encode(batch, row, buffer);
          if (buffer.length() >= FLUSH_BYTES || written + buffer.length() >= maxFileSize) {
            flush();
            if (written >= maxFileSize) {
              closePart();
            }
          }
        }
      } catch (IOException e) {
        throw failed(e);
      }
    }

    private void flush() throws IOException {
      ByteBuffer bytes = ByteBuffer.wrap(buffer.array(), 0, buffer.length());
      while (bytes.hasRemaining()) {
        written += channel.write(bytes);
      }
      buffer.clear();
    }

    private void closePart() throws IOException {
      if (channel != null) {
        flush();
        channel.force(true);
        channel.close();
        channel = null;
      }
    }

    private FreshetException failed(IOException e) {
      return new FreshetException(FreshetException.Kind.EXTERNAL, "Cannot write batch " + batchId + " to " + dir
          + ": " + e.getMessage() + "; check free disk space and permissions (the batch is not committed and runs "
          + "again when the query restarts)", e);
    }

    @Override
    public void commit() {
      try {
        closePart();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < inProgress.size(); i++) {
          names.add(partName(i));
        }
        if (!names.isEmpty()) {
          // Before the first rename: a crash from here to the entry leaves part files the marker accounts for.
          SinkManifest.begin(dir, batchId, queryId, names);
        }
        for (int i = 0; i < names.size(); i++) {
          Files.move(inProgress.get(i), dir.resolve(names.get(i)), StandardCopyOption.ATOMIC_MOVE,
              StandardCopyOption.REPLACE_EXISTING);
        }
        // The renames reach the disk before the entry that names them.
        CheckpointFiles.forceDirectory(dir);
        SinkManifest.commit(dir, batchId, queryId, names);
      } catch (IOException e) {
        throw failed(e);
      }
    }

    @Override
    public void abort() {
      try {
        if (channel != null) {
          channel.close();
          channel = null;
        }
        for (Path p : inProgress) {
          Files.deleteIfExists(p);
        }
      } catch (IOException ignored) {
        // the files are hidden and rewritten by the next attempt
      }
    }
  }
}
