package io.freshet.sources.nexmark;

import io.freshet.exec.connector.ConnectorContext;
import io.freshet.exec.connector.ConnectorOptions;
import io.freshet.exec.connector.OptionSpec;
import io.freshet.exec.connector.Source;
import io.freshet.exec.connector.SourceProvider;
import io.freshet.exec.types.RowSchema;
import io.freshet.exec.connector.SchemaCheck;
import java.util.List;
import java.util.Locale;

/** {@code 'connector' = 'nexmark'}: the built-in Nexmark generator. */
public final class NexmarkSourceProvider implements SourceProvider {
  static final List<OptionSpec> OPTIONS = List.of(
      OptionSpec.optional("table", "bid", "which stream: bid, auction or person"),
      OptionSpec.optional("events", "0", "total events (of all three streams) to generate; 0 for an endless stream"),
      OptionSpec.optional("events-per-second", "1000",
          "event-time rate; an endless stream also releases events at this rate in wall-clock time"),
      OptionSpec.optional("real-time", "false",
          "true: release a bounded stream's events at events-per-second of wall-clock time too (for latency runs)"),
      OptionSpec.optional("seed", "0", "random seed: the same seed gives the same events"),
      OptionSpec.optional("base-time", null,
          "event time of the first event, 'yyyy-MM-dd HH:mm:ss' (UTC) or epoch ms; default (or ''): when the query "
              + "first starts"),
      OptionSpec.optional("out-of-order-group-size", "1",
          "event times are shuffled within groups of this many events (1: in order)"),
      OptionSpec.optional("max-events-per-batch", "1000000", "most events (of all streams) read by one micro-batch"),
      OptionSpec.optional("batch-size", "8192", "rows per Arrow batch"));

  @Override
  public String name() {
    return "nexmark";
  }

  @Override
  public List<OptionSpec> options() {
    return OPTIONS;
  }

  @Override
  public RowSchema defaultSchema(ConnectorOptions options) {
    return table(options).schema();
  }

  @Override
  public boolean isBounded(ConnectorOptions options) {
    return options.getLong("events") > 0;
  }

  static NexmarkTable table(ConnectorOptions options) {
    return NexmarkTable.valueOf(options.getChoice("table", List.of("bid", "auction", "person"))
        .toUpperCase(Locale.ROOT));
  }

  @Override
  public void validate(ConnectorOptions options, RowSchema declared) {
    table(options);
    NexmarkConfig.from(options);
  }

  @Override
  public Source create(ConnectorContext context) {
    ConnectorOptions options = context.options();
    NexmarkTable table = table(options);
    RowSchema schema = SchemaCheck.declaredOrOwn(context, table.schema(), "nexmark table '"
        + table.name().toLowerCase(Locale.ROOT) + "'");
    return new NexmarkSource(NexmarkConfig.from(options), table, schema, context.allocator());
  }
}
