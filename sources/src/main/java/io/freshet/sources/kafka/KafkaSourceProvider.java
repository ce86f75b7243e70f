package io.freshet.sources.kafka;

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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code 'connector' = 'kafka'}: Spark's Kafka source. Offsets live in the query's checkpoint, never in consumer
 * group commits. In the {@code raw} format the columns are {@code key}, {@code value} (text), {@code topic},
 * {@code partition}, {@code offset} and {@code timestamp}; in {@code json} and {@code csv} the value is decoded
 * into the declared columns, and {@code metadataColumns} names declared columns filled from the record instead.
 */
public final class KafkaSourceProvider implements SourceProvider {
  static final List<String> METADATA = List.of("key", "topic", "partition", "offset", "timestamp");
  static final RowSchema RAW_SCHEMA = RowSchema.of(Column.of("key", TypeKind.VARCHAR),
      Column.of("value", TypeKind.VARCHAR), Column.of("topic", TypeKind.VARCHAR), Column.of("partition", TypeKind.INT),
      Column.of("offset", TypeKind.BIGINT), Column.of("timestamp", TypeKind.TIMESTAMP));

  @Override
  public String name() {
    return "kafka";
  }

  @Override
  public List<OptionSpec> options() {
    List<OptionSpec> specs = new ArrayList<>(List.of(
        OptionSpec.required("kafka.bootstrap.servers", "the brokers, host:port[,host:port...]"),
        OptionSpec.optional("kafka.*", "", "any other Kafka consumer setting, e.g. kafka.security.protocol"),
        OptionSpec.optional("subscribe", "", "topics to read, comma-separated"),
        OptionSpec.optional("subscribePattern", "", "a regular expression: read every topic whose name matches"),
        OptionSpec.optional("assign", "", "partitions to read, as JSON: {\"topicA\":[0,1],\"topicB\":[0]}"),
        OptionSpec.optional("startingOffsets", "latest", "earliest, latest, or JSON {\"topic\":{\"0\":23,\"1\":-2}}"
            + " (-2 earliest, -1 latest); used only when the checkpoint holds no offsets"),
        OptionSpec.optional("endingOffsets", "", "latest: read what is there when the query starts, then end"),
        OptionSpec.optional("maxOffsetsPerTrigger", "", "at most this many records per micro-batch"),
        OptionSpec.optional("failOnDataLoss", "true", "fail when records to read were deleted or a topic is gone"),
        OptionSpec.optional("metadataColumns", "", "json/csv: declared columns taken from the record's key, topic, "
            + "partition, offset or timestamp rather than its value")));
    specs.addAll(FormatOptions.readerOptions());
    return specs;
  }

  private static FormatOptions format(ConnectorOptions options) {
    String name = options.has("format") ? options.getString("format").trim().toLowerCase(java.util.Locale.ROOT)
        : "raw";
    if (name.equals("raw") || name.equals("text")) {
      return FormatOptions.from(new ConnectorOptions(options.connector(), options.table(), java.util.Map.of(),
          FormatOptions.readerOptions()), FormatOptions.Format.TEXT);
    }
    if (!name.equals("json") && !name.equals("csv")) {
      throw options.invalid("format", options.getString("format"), "one of raw, json, csv");
    }
    return FormatOptions.from(options, FormatOptions.Format.TEXT);
  }

  @Override
  public RowSchema defaultSchema(ConnectorOptions options) {
    return format(options).format() == FormatOptions.Format.TEXT ? RAW_SCHEMA : null;
  }

  @Override
  public boolean isBounded(ConnectorOptions options) {
    return options.getString("endingOffsets").equalsIgnoreCase("latest");
  }

  /** What a Kafka stream reads, checked: the decoding, the columns, those taken from the record, the consumer. */
  private record Parsed(FormatOptions format, RowSchema schema, Set<String> metadata, KafkaSource.Settings settings) {
  }

  @Override
  public void validate(ConnectorOptions options, RowSchema declared) {
    parse(options, declared);
  }

  @Override
  public Source create(ConnectorContext context) {
    Parsed p = parse(context.options(), context.declaredSchema());
    return new KafkaSource(p.settings(), p.schema(), p.format(), p.metadata(), context.checkpointDirectory(),
        context.allocator());
  }

  private Parsed parse(ConnectorOptions options, RowSchema declared) {
    FormatOptions format = format(options);
    boolean raw = format.format() == FormatOptions.Format.TEXT;
    RowSchema schema = declared != null ? declared : defaultSchema(options);
    if (schema == null) {
      throw FreshetException.user("A Kafka source in " + options.getString("format") + " format needs its columns "
          + "declared; the value of each record is decoded into them");
    }
    Set<String> metadata = new LinkedHashSet<>();
    if (raw) {
      if (!schema.equals(RAW_SCHEMA)) {
        throw FreshetException.user("A Kafka source in raw format has the columns " + RAW_SCHEMA + "; declare no "
            + "columns, or set 'format' to json or csv to decode the value into declared columns");
      }
      metadata.addAll(METADATA);
    } else {
      for (String name : options.getString("metadataColumns").split(",")) {
        String column = name.trim();
        if (column.isEmpty()) {
          continue;
        }
        int index = schema.indexOf(column);
        if (index < 0 || !METADATA.contains(column)) {
          throw options.invalid("metadataColumns", options.getString("metadataColumns"), "declared columns among "
              + METADATA);
        }
        metadata.add(column);
      }
    }
    for (String m : metadata) {
      TypeKind expected = RAW_SCHEMA.type(RAW_SCHEMA.indexOf(m));
      TypeKind given = schema.type(schema.indexOf(m));
      if (given != expected) {
        throw FreshetException.user("The Kafka metadata column '" + m + "' is " + expected.sqlName() + ", declared "
            + given.sqlName());
      }
    }
    int strategies = (options.getString("subscribe").isBlank() ? 0 : 1)
        + (options.getString("subscribePattern").isBlank() ? 0 : 1) + (options.getString("assign").isBlank() ? 0 : 1);
    if (strategies != 1) {
      throw FreshetException.user("A Kafka source needs exactly one of the options 'subscribe', 'subscribePattern' "
          + "and 'assign'" + (options.table() == null ? "" : " (stream '" + options.table() + "')"));
    }
    String ending = options.getString("endingOffsets");
    if (!ending.isBlank() && !ending.equalsIgnoreCase("latest")) {
      throw options.invalid("endingOffsets", ending, "latest (or unset, to read for ever)");
    }
    String pattern = options.getString("subscribePattern");
    if (!pattern.isBlank()) {
      try {
        java.util.regex.Pattern.compile(pattern);
      } catch (java.util.regex.PatternSyntaxException e) {
        throw options.invalid("subscribePattern", pattern, "a regular expression (" + e.getDescription() + ")");
      }
    }
    String starting = options.getString("startingOffsets").trim();
    if (!starting.equalsIgnoreCase("earliest") && !starting.equalsIgnoreCase("latest")) {
      KafkaSource.fromJson(starting, "option startingOffsets");
    }
    if (!options.getString("assign").isBlank()) {
      KafkaSource.assigned(options.getString("assign"));
    }
    KafkaSource.Settings settings = new KafkaSource.Settings(
        options.getString("kafka.bootstrap.servers"), options.withPrefix("kafka."),
        Arrays.stream(options.getString("subscribe").split(",")).map(String::trim).filter(t -> !t.isEmpty()).toList(),
        options.getString("subscribePattern"), options.getString("assign"), options.getString("startingOffsets"),
        ending.equalsIgnoreCase("latest"),
        options.getString("maxOffsetsPerTrigger").isBlank() ? Long.MAX_VALUE
            : options.getPositiveLong("maxOffsetsPerTrigger"),
        options.getBoolean("failOnDataLoss"));
    return new Parsed(format, schema, metadata, settings);
  }
}
