package io.freshet.sources.file;

import io.freshet.exec.connector.ConnectorContext;
import io.freshet.exec.connector.ConnectorOptions;
import io.freshet.exec.connector.OptionSpec;
import io.freshet.exec.connector.Source;
import io.freshet.exec.connector.SourceProvider;
import io.freshet.exec.format.FormatOptions;
import io.freshet.exec.types.Column;
import io.freshet.exec.types.RowSchema;
import io.freshet.exec.types.TypeKind;
import io.freshet.streaming.FreshetException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code 'connector' = 'file'}: the files of a directory (or glob) as a stream, in text, CSV or JSON-lines
 * format, each file read once, in the order the files appear. Option names and defaults follow Spark's file
 * source.
 */
public final class FileSourceProvider implements SourceProvider {
  /** The size above which a file is read as several ranges at the same time: 128 MB, as Spark's maxPartitionBytes. */
  static final long DEFAULT_SPLIT_BYTES = 128L << 20;

  @Override
  public String name() {
    return "file";
  }

  @Override
  public List<OptionSpec> options() {
    List<OptionSpec> specs = new ArrayList<>(List.of(
        OptionSpec.required("path", "the directory to watch, or a glob such as /data/in/*.csv"),
        OptionSpec.optional("maxFilesPerTrigger", "", "at most this many new files per micro-batch"),
        OptionSpec.optional("maxBytesPerTrigger", "", "new files per micro-batch up to about this many bytes"),
        OptionSpec.optional("maxSplitBytes", Long.toString(DEFAULT_SPLIT_BYTES), "with several partitions, a file "
            + "larger than this is decoded as ranges of at most this many bytes at the same time (not gzip files)"),
        OptionSpec.optional("multiLine", "true", "CSV: a quoted field may hold line breaks; false: every line is "
            + "one record (a line that ends inside a quoted field is malformed)"),
        OptionSpec.optional("latestFirst", "false", "read the newest files first"),
        OptionSpec.optional("bounded", "false", "read the files there now, then end the stream"),
        OptionSpec.optional("cleanSource", "off", "after the batch that read a file is committed: off, delete or "
            + "archive"),
        OptionSpec.optional("sourceArchiveDir", "", "where cleanSource = archive moves files"),
        OptionSpec.optional("newFilesOnly", "false", "ignore the files already there when the query first started "
            + "(Spark Streaming's textFileStream)"),
        OptionSpec.optional("lineOffsetColumn", "", "text format: the BIGINT column that gets each line's byte "
            + "offset in its file (Hadoop TextInputFormat's key), declared or added before value")));
    specs.addAll(FormatOptions.readerOptions());
    return specs;
  }

  @Override
  public RowSchema defaultSchema(ConnectorOptions options) {
    String offset = options.getString("lineOffsetColumn");
    if (!offset.isEmpty() && FormatOptions.defaultSchema(options) != null) {
      return RowSchema.of(Column.of(offset, TypeKind.BIGINT), FormatOptions.TEXT_SCHEMA.column(0));
    }
    return FormatOptions.defaultSchema(options);
  }

  @Override
  public boolean isBounded(ConnectorOptions options) {
    return options.getBoolean("bounded");
  }

  /** The checked options of a file stream. */
  record Settings(String path, FormatOptions format, RowSchema schema, String cleanSource, Path archive,
      FileSource.Limits limits, boolean bounded, boolean newFilesOnly, long splitBytes, boolean multiLine,
      String offsetColumn) {

    static Settings of(ConnectorOptions options, RowSchema declared) {
      FormatOptions format = FormatOptions.from(options, FormatOptions.Format.TEXT);
      String offsetColumn = options.getString("lineOffsetColumn");
      RowSchema schema = offsetColumn.isEmpty() ? format.schemaFor(declared, "file")
          : offsetSchema(options, format, declared, offsetColumn);
      String clean = options.getChoice("cleanSource", List.of("off", "delete", "archive"));
      String archive = options.getString("sourceArchiveDir");
      if (clean.equals("archive") && archive.isBlank()) {
        throw FreshetException.user("cleanSource = archive of '" + options.table() + "' needs option "
            + "'sourceArchiveDir', the folder to move read files to");
      }
      FileSource.Limits limits = new FileSource.Limits(
          options.getString("maxFilesPerTrigger").isEmpty() ? Long.MAX_VALUE
              : options.getPositiveLong("maxFilesPerTrigger"),
          options.getString("maxBytesPerTrigger").isEmpty() ? Long.MAX_VALUE
              : options.getPositiveLong("maxBytesPerTrigger"),
          options.getBoolean("latestFirst"));
      String path = options.getString("path");
      FileSource.checkPath(options.table(), path);
      return new Settings(path, format, schema, clean, archive.isBlank() ? null : Path.of(archive), limits,
          options.getBoolean("bounded"), options.getBoolean("newFilesOnly"), options.getPositiveLong("maxSplitBytes"),
          options.getBoolean("multiLine"), offsetColumn);
    }

    /** The columns with a line offset column: declared (BIGINT), or it and value VARCHAR. */
    private static RowSchema offsetSchema(ConnectorOptions options, FormatOptions format, RowSchema declared,
        String column) {
      if (format.format() != FormatOptions.Format.TEXT) {
        throw FreshetException.user("Option 'lineOffsetColumn' of '" + options.table() + "' is for the text format, "
            + "not " + format.format().name().toLowerCase(java.util.Locale.ROOT));
      }
      if (declared == null) {
        return RowSchema.of(Column.of(column, TypeKind.BIGINT), FormatOptions.TEXT_SCHEMA.column(0));
      }
      int at = declared.indexOf(column);
      if (at < 0 || declared.type(at) != TypeKind.BIGINT) {
        throw FreshetException.user("Option 'lineOffsetColumn' of '" + options.table() + "' names '" + column
            + "', which must be a BIGINT column of " + declared);
      }
      return declared;
    }
  }

  @Override
  public void validate(ConnectorOptions options, RowSchema declared) {
    Settings.of(options, declared);
  }

  @Override
  public Source create(ConnectorContext context) {
    return new FileSource(context.options().table(), Settings.of(context.options(), context.declaredSchema()),
        context.checkpointDirectory(), context.allocator());
  }
}
