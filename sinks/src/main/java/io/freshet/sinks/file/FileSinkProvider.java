package io.freshet.sinks.file;

import io.freshet.exec.connector.BatchWriter;
import io.freshet.exec.connector.ConnectorContext;
import io.freshet.exec.connector.ConnectorOptions;
import io.freshet.exec.connector.OptionSpec;
import io.freshet.exec.connector.Sink;
import io.freshet.exec.connector.SinkProvider;
import io.freshet.exec.format.FormatOptions;
import io.freshet.exec.format.HivePartitions;
import io.freshet.exec.format.RecordEncoder;
import io.freshet.exec.format.SinkManifest;
import io.freshet.exec.types.RowSchema;
import io.freshet.streaming.FreshetException;
import io.freshet.streaming.OutputMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * {@code 'connector' = 'file'} as a sink: CSV or JSON-lines part files in a directory, exactly once; with
 * {@code 'partition-by' = 'a,b'} in its Hive-style subdirectories {@code a=1/b=x/} ({@link HivePartitions}), each
 * file without those columns, and the manifest names each file by its path under the directory. A batch
 * writes hidden in-progress files, and its commit makes them visible: each is forced to disk and renamed to
 * {@code part-<batch>-<n>.<format>} after an intent marker for the batch is written, the directory is forced, then
 * the batch is recorded in the manifest log {@code _freshet_metadata} and the marker deleted ({@link SinkManifest}).
 * A batch the manifest already holds (re-run after a crash) is not written again; a re-run of a batch that
 * crashed before its manifest entry rewrites the same part files with the same rows (the start deletes those the
 * crashed attempt renamed, by its marker).
 */
public final class FileSinkProvider implements SinkProvider {
  /** The option naming the partition columns, which {@code DataStreamWriter.partitionBy} sets too. */
  public static final String PARTITION_BY = "partition-by";

  @Override
  public String name() {
    return "file";
  }

  @Override
  public List<OptionSpec> options() {
    List<OptionSpec> specs = new ArrayList<>(List.of(
        OptionSpec.required("path", "the output directory"),
        OptionSpec.optional("maxFileSize", "134217728", "a part file rolls over to the next once it has this many "
            + "bytes"),
        OptionSpec.optional(PARTITION_BY, "", "columns (comma-separated) whose values name nested subdirectories "
            + "col=value/ that the rows go into, without those columns")));
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
      encoder(options, declared, format);
    }
  }

  /** The encoder of the columns the files hold: all but the partition columns. */
  private static RecordEncoder encoder(ConnectorOptions options, RowSchema schema, FormatOptions format) {
    return new RecordEncoder(schema, format, HivePartitions.dataColumns(schema, partitionColumns(options, schema)));
  }

  /** The positions of the partition columns in {@code schema}, in the order given; none without the option. */
  private static int[] partitionColumns(ConnectorOptions options, RowSchema schema) {
    String spec = options.getString(PARTITION_BY);
    return spec.isBlank() ? new int[0] : HivePartitions.columns(schema, spec, "(option '" + PARTITION_BY + "' of "
        + (options.table() == null ? "the file sink" : "'" + options.table() + "'") + ")");
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
    RecordEncoder encoder = encoder(options, schema, format);
    int[] partitions = partitionColumns(options, schema);
    String[] partitionNames = java.util.Arrays.stream(partitions).mapToObj(c -> schema.column(c).name())
        .toArray(String[]::new);
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new FreshetException(FreshetException.Kind.EXTERNAL, "Cannot create the output directory " + dir + ": "
          + e.getMessage() + "; check the path and permissions", e);
    }
    SinkManifest.create(dir);
    String extension = format.format().name().toLowerCase(java.util.Locale.ROOT);
    PartWriter.Layout layout = new PartWriter.Layout(dir, context.queryId(), extension, maxFileSize, encoder,
        format.header(), partitionNames, partitions);
    return new Sink() {
      /** The unfinished commits {@link #checkCommitted} found, cleared by {@link #settle}. */
      private Runnable settlement = () -> { };

      @Override
      public BatchWriter beginBatch(long batchId, OutputMode mode) {
        if (SinkManifest.holds(dir, batchId, context.queryId())) {
          return BatchWriter.DISCARD;
        }
        return new PartWriter(layout, batchId);
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
}
