package io.freshet.sources.file;

import io.freshet.exec.connector.ConnectorContext;
import io.freshet.exec.connector.ConnectorOptions;
import io.freshet.exec.connector.OptionSpec;
import io.freshet.exec.connector.Source;
import io.freshet.exec.connector.SourceProvider;
import io.freshet.exec.format.FormatOptions;
import io.freshet.exec.types.RowSchema;
import io.freshet.streaming.FreshetException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code 'connector' = 'file'}: the files of a directory (or glob) as a stream, in text, CSV or JSON-lines
 * format, each file read once, in the order the files appear. Option names and defaults follow Spark's file
 * source.
 */
public final class FileSourceProvider implements SourceProvider {

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
        OptionSpec.optional("latestFirst", "false", "read the newest files first"),
        OptionSpec.optional("bounded", "false", "read the files there now, then end the stream"),
        OptionSpec.optional("cleanSource", "off", "after the batch that read a file is committed: off, delete or "
            + "archive"),
        OptionSpec.optional("sourceArchiveDir", "", "where cleanSource = archive moves files"),
        OptionSpec.optional("newFilesOnly", "false", "ignore the files already there when the query first started "
            + "(Spark Streaming's textFileStream)")));
    specs.addAll(FormatOptions.readerOptions());
    return specs;
  }

  @Override
  public RowSchema defaultSchema(ConnectorOptions options) {
    return FormatOptions.defaultSchema(options);
  }

  @Override
  public boolean isBounded(ConnectorOptions options) {
    return options.getBoolean("bounded");
  }

  @Override
  public Source create(ConnectorContext context) {
    ConnectorOptions options = context.options();
    FormatOptions format = FormatOptions.from(options, FormatOptions.Format.TEXT);
    RowSchema schema = format.schemaFor(context.declaredSchema(), "file");
    String clean = options.getChoice("cleanSource", List.of("off", "delete", "archive"));
    String archive = options.getString("sourceArchiveDir");
    if (clean.equals("archive") && archive.isBlank()) {
      throw FreshetException.user("cleanSource = archive of '" + options.table() + "' needs option "
          + "'sourceArchiveDir', the folder to move read files to");
    }
    FileSource.Limits limits = new FileSource.Limits(
        options.getString("maxFilesPerTrigger").isBlank() ? Long.MAX_VALUE
            : options.getPositiveLong("maxFilesPerTrigger"),
        options.getString("maxBytesPerTrigger").isBlank() ? Long.MAX_VALUE
            : options.getPositiveLong("maxBytesPerTrigger"),
        options.getBoolean("latestFirst"));
    return new FileSource(options.table(), options.getString("path"), schema, format, limits,
        options.getBoolean("bounded"), clean, archive.isBlank() ? null : java.nio.file.Path.of(archive),
        context.checkpointDirectory(), context.allocator(), options.getBoolean("newFilesOnly"));
  }
}
