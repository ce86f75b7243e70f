package io.freshet.sources.socket;

import io.freshet.exec.connector.ConnectorContext;
import io.freshet.exec.connector.ConnectorOptions;
import io.freshet.exec.connector.OptionSpec;
import io.freshet.exec.connector.Source;
import io.freshet.exec.connector.SourceProvider;
import io.freshet.exec.format.FormatOptions;
import io.freshet.exec.types.RowSchema;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code 'connector' = 'socket'}: text lines from a TCP server, as Spark's socket source ({@code nc -lk 9999}), in
 * text (one {@code value} column), CSV or JSON-lines format. Lines go to a write-ahead log in the checkpoint before
 * a batch may read them, so a restart loses nothing that the log acknowledged.
 */
public final class SocketSourceProvider implements SourceProvider {

  @Override
  public String name() {
    return "socket";
  }

  @Override
  public List<OptionSpec> options() {
    List<OptionSpec> specs = new ArrayList<>(List.of(
        OptionSpec.optional("host", "localhost", "the server to connect to"),
        OptionSpec.required("port", "the server's TCP port"),
        OptionSpec.optional("maxReconnectDelay", "5000", "milliseconds between reconnection attempts at most "
            + "(the delay doubles from 100 ms while the server stays away)"),
        OptionSpec.optional("maxLineLength", Long.toString(SocketSource.DEFAULT_MAX_LINE_LENGTH), "bytes in one "
            + "line at most; a longer line is malformed (see 'mode') and only its first bytes are kept")));
    specs.addAll(FormatOptions.readerOptions());
    return specs;
  }

  @Override
  public RowSchema defaultSchema(ConnectorOptions options) {
    return FormatOptions.defaultSchema(options);
  }

  /** The checked options of a socket stream. */
  record Settings(String host, int port, long maxReconnectDelay, long maxLineLength, FormatOptions format,
      RowSchema schema) {

    static Settings of(ConnectorOptions options, RowSchema declared) {
      FormatOptions format = FormatOptions.from(options, FormatOptions.Format.TEXT);
      RowSchema schema = format.schemaFor(declared, "socket");
      String host = options.getString("host").trim();
      if (host.isEmpty()) {
        throw options.invalid("host", options.getString("host"), "a host name or address");
      }
      long port = options.getPositiveLong("port");
      if (port > 65535) {
        throw options.invalid("port", options.getString("port"), "a TCP port (1-65535)");
      }
      return new Settings(host, (int) port, options.getPositiveLong("maxReconnectDelay"),
          options.getPositiveLong("maxLineLength"), format, schema);
    }
  }

  @Override
  public void validate(ConnectorOptions options, RowSchema declared) {
    Settings.of(options, declared);
  }

  @Override
  public Source create(ConnectorContext context) {
    return new SocketSource(Settings.of(context.options(), context.declaredSchema()),
        context.checkpointDirectory().resolve("wal"), context.allocator());
  }
}
