package io.freshet.sinks.kafka;

import io.freshet.exec.batch.Batch;
import io.freshet.exec.connector.BatchWriter;
import io.freshet.exec.connector.ConnectorContext;
import io.freshet.exec.connector.ConnectorOptions;
import io.freshet.exec.connector.OptionSpec;
import io.freshet.exec.connector.Sink;
import io.freshet.exec.connector.SinkProvider;
import io.freshet.exec.format.ByteSink;
import io.freshet.exec.format.FormatOptions;
import io.freshet.exec.format.RecordEncoder;
import io.freshet.exec.types.RowSchema;
import io.freshet.exec.types.TypeKind;
import io.freshet.streaming.FreshetException;
import io.freshet.streaming.OutputMode;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.arrow.vector.VarCharVector;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * {@code 'connector' = 'kafka'} as a sink. Each row becomes a record: in the {@code json} format (the default) the
 * whole row as a JSON object, without a key, except in update mode, where the key is the JSON object of the
 * result's key columns; in the {@code raw} format the row's {@code key} and {@code value} columns. In update mode a
 * row that leaves the result is a tombstone (its key, a null value), as a compacted topic expects. A {@code topic} column sends a row to that topic, otherwise the {@code topic} option names it. The
 * producer is idempotent; delivery is at least once (a batch re-run after a crash is sent again) unless
 * {@code 'transactional' = 'true'}: each batch is then one Kafka transaction that also commits the batch id as the
 * offset of a fence (consumer group {@code freshet-<query id>}, the topic's partition 0), so a batch the fence
 * holds is not sent again, and a restarted query's producer (same transactional id) aborts what a crashed one left
 * open. Readers must use {@code isolation.level = read_committed}.
 */
public final class KafkaSinkProvider implements SinkProvider {

  @Override
  public String name() {
    return "kafka";
  }

  @Override
  public List<OptionSpec> options() {
    return List.of(
        OptionSpec.required("kafka.bootstrap.servers", "the brokers, host:port[,host:port...]"),
        OptionSpec.optional("kafka.*", "", "any other Kafka producer setting"),
        OptionSpec.optional("topic", "", "the topic to write to, unless the rows have a topic column"),
        OptionSpec.optional("transactional", "false", "exactly once: one Kafka transaction per batch"),
        OptionSpec.optional("timestampFormat", FormatOptions.DEFAULT_TIMESTAMP_FORMAT, "timestamps in JSON"));
  }

  @Override
  public Set<OutputMode> supportedModes() {
    return EnumSet.allOf(OutputMode.class);
  }

  @Override
  public void validate(ConnectorOptions options, RowSchema declared) {
    String format = format(options);
    jsonFormat(options);
    boolean transactional = options.getBoolean("transactional");
    if (transactional && options.getString("topic").isBlank()) {
      throw FreshetException.user("A transactional Kafka sink needs the option 'topic': it also holds the batch-id "
          + "fence");
    }
    if (declared != null) {
      checkColumns(options, declared, format, transactional);
    }
  }

  /** {@code json} or {@code raw}. */
  private static String format(ConnectorOptions options) {
    String format = options.has("format") ? options.getString("format").trim().toLowerCase(java.util.Locale.ROOT)
        : "json";
    if (!format.equals("json") && !format.equals("raw")) {
      throw options.invalid("format", options.getString("format"), "json or raw");
    }
    return format;
  }

  private static FormatOptions jsonFormat(ConnectorOptions options) {
    String pattern = options.getString("timestampFormat");
    try {
      return new FormatOptions(FormatOptions.Format.JSON, (byte) ',', (byte) '"', false,
          io.freshet.exec.format.TimestampFormat.of(pattern), "", FormatOptions.Mode.FAILFAST, "_corrupt_record");
    } catch (IllegalArgumentException e) {
      throw options.invalid("timestampFormat", pattern, "a java.time date-time pattern (" + e.getMessage() + ")");
    }
  }

  /** Checks the rows against the options: where the topic comes from, and raw format's key and value. */
  private static void checkColumns(ConnectorOptions options, RowSchema schema, String format, boolean transactional) {
    int topicColumn = schema.indexOf("topic");
    if (topicColumn >= 0 && schema.type(topicColumn) != TypeKind.VARCHAR) {
      throw FreshetException.user("The topic column of a Kafka sink must be VARCHAR");
    }
    if (options.getString("topic").isBlank() && (topicColumn < 0 || transactional)) {
      throw FreshetException.user("A Kafka sink needs the option 'topic'" + (transactional
          ? " (in transactional mode it also holds the batch-id fence)" : ", or a topic column in its rows"));
    }
    int keyColumn = schema.indexOf("key");
    int valueColumn = schema.indexOf("value");
    if (format.equals("raw") && (valueColumn < 0 || schema.type(valueColumn) != TypeKind.VARCHAR
        || keyColumn >= 0 && schema.type(keyColumn) != TypeKind.VARCHAR)) {
      throw FreshetException.user("A Kafka sink in raw format writes a VARCHAR column value (and a VARCHAR key, if "
          + "there is one); the query gives " + schema);
    }
  }

  @Override
  public Sink create(ConnectorContext context) {
    ConnectorOptions options = context.options();
    RowSchema schema = context.declaredSchema();
    String format = format(options);
    String topic = options.getString("topic");
    boolean transactional = options.getBoolean("transactional");
    checkColumns(options, schema, format, transactional);
    int topicColumn = schema.indexOf("topic");
    int keyColumn = schema.indexOf("key");
    int valueColumn = schema.indexOf("value");
    FormatOptions json = jsonFormat(options);
    RecordEncoder encoder = format.equals("json") ? new RecordEncoder(schema, json) : null;
    // In update mode a JSON record's key is the result's key, so that a compacted topic keeps each key's last row.
    int[] resultKey = context.resultKey();
    RecordEncoder keyEncoder = encoder != null && resultKey != null ? new RecordEncoder(schema, json, resultKey)
        : null;
    Map<String, Object> config = new HashMap<>(options.withPrefix("kafka."));
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, options.getString("kafka.bootstrap.servers"));
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    config.putIfAbsent(ProducerConfig.ACKS_CONFIG, "all");
    String fenceGroup = "freshet-" + context.queryId();
    if (transactional) {
      config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, fenceGroup + "-" + topic);
    }
    KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config);
    TopicPartition fence = new TopicPartition(topic, 0);
    if (transactional) {
      producer.initTransactions();
    }
    return new Sink() {
      /** Batches the fence holds: asked of Kafka once (only the first batch after a start can be a re-run). */
      private long fenced = -1;

      /** The fence holds batches up to one the checkpoint has no offsets for: it would be planned again and skipped. */
      @Override
      public void checkCommitted(long lastCommitted, long lastPlanned) {
        if (!transactional) {
          return;
        }
        fenced = fencedBatches(options, fenceGroup, fence);
        if (fenced - 1 > lastPlanned) {
          throw FreshetException.user("Topic " + topic + " holds batch " + (fenced - 1) + " of this query (its "
              + "fence, consumer group " + fenceGroup + "), which the checkpoint has no offsets for (its newest is "
              + (lastPlanned < 0 ? "none" : "batch " + lastPlanned) + "): the checkpoint lost entries, and the batch "
              + "would be planned again over other input and then skipped. Restore the checkpoint from a backup, or "
              + "start the query with a new checkpoint location");
        }
      }

      @Override
      public BatchWriter beginBatch(long batchId, OutputMode mode) {
        if (transactional && fenced < 0) {
          fenced = fencedBatches(options, fenceGroup, fence);
        }
        if (transactional && fenced > batchId) {
          return BatchWriter.DISCARD;
        }
        AtomicReference<Exception> failure = new AtomicReference<>();
        if (transactional) {
          producer.beginTransaction();
        }
        ByteSink buffer = new ByteSink();
        return new BatchWriter() {
          @Override
          public void write(Batch batch) {
            send(batch, false);
          }

          /** A row that left the result: a tombstone (a null value) under its key, where the record has one. */
          @Override
          public void delete(Batch batch) {
            send(batch, true);
          }

          private void send(Batch batch, boolean tombstones) {
            boolean keyed = mode == OutputMode.UPDATE && keyEncoder != null;
            if (tombstones && !keyed && keyColumn < 0) {
              return;
            }
            VarCharVector topics = topicColumn >= 0 ? (VarCharVector) batch.vector(topicColumn) : null;
            for (int row = 0; row < batch.rowCount(); row++) {
              String to = topics != null && !topics.isNull(row) ? new String(topics.get(row),
                  java.nio.charset.StandardCharsets.UTF_8) : topic;
              byte[] key = null;
              byte[] value = null;
              if (encoder != null) {
                if (keyed) {
                  buffer.clear();
                  keyEncoder.encode(batch, row, buffer);
                  key = Arrays.copyOf(buffer.array(), buffer.length() - 1);
                }
                if (!tombstones) {
                  buffer.clear();
                  encoder.encode(batch, row, buffer);
                  value = Arrays.copyOf(buffer.array(), buffer.length() - 1);
                }
              } else {
                VarCharVector v = (VarCharVector) batch.vector(valueColumn);
                value = tombstones || v.isNull(row) ? null : v.get(row);
                if (keyColumn >= 0) {
                  VarCharVector k = (VarCharVector) batch.vector(keyColumn);
                  key = k.isNull(row) ? null : k.get(row);
                }
              }
              producer.send(new ProducerRecord<>(to, key, value), (metadata, e) -> {
                if (e != null) {
                  failure.compareAndSet(null, e);
                }
              });
            }
          }

          @Override
          public void commit() {
            try {
              producer.flush();
              if (failure.get() != null) {
                throw failure.get();
              }
              if (transactional) {
                producer.sendOffsetsToTransaction(Map.of(fence, new OffsetAndMetadata(batchId + 1)),
                    new ConsumerGroupMetadata(fenceGroup));
                producer.commitTransaction();
                fenced = batchId + 1;
              }
            } catch (Exception e) {
              throw new FreshetException(FreshetException.Kind.EXTERNAL, "Cannot write batch " + batchId + " to "
                  + "Kafka: " + e.getMessage() + " (the batch is not committed and runs again when the query "
                  + "restarts)", e);
            }
          }

          @Override
          public void abort() {
            if (transactional) {
              try {
                producer.abortTransaction();
              } catch (RuntimeException ignored) {
                // the restarted producer aborts it when it starts
              }
            }
          }
        };
      }

      @Override
      public String description() {
        return "KafkaSink[" + (topic.isBlank() ? "topic column" : topic) + (transactional ? ", transactional" : "")
            + "]";
      }

      @Override
      public void close() {
        producer.close(Duration.ofSeconds(10));
      }
    };
  }

  /** How many batches the fence says were committed: the offset committed for the fence partition, or 0. */
  private static long fencedBatches(ConnectorOptions options, String group, TopicPartition fence) {
    Map<String, Object> config = new HashMap<>(options.withPrefix("kafka."));
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, options.getString("kafka.bootstrap.servers"));
    config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
      OffsetAndMetadata committed = consumer.committed(Set.of(fence), Duration.ofSeconds(30)).get(fence);
      return committed == null ? 0 : committed.offset();
    }
  }
}
