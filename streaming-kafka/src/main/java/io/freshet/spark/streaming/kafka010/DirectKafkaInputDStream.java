package io.freshet.spark.streaming.kafka010;

import io.freshet.exec.batch.Batch;
import io.freshet.exec.connector.Source;
import io.freshet.spark.rdd.RDD;
import io.freshet.spark.streaming.StreamingContext;
import io.freshet.spark.streaming.Time;
import io.freshet.spark.streaming.dstream.SourceInputDStream;
import io.freshet.exec.connector.ConnectorContext;
import io.freshet.sources.kafka.KafkaRanges;
import io.freshet.streaming.FreshetException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetCommitCallback;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Spark's direct Kafka stream: each batch reads, for each partition, the records from where the last batch ended
 * to the end of the partition when the batch was planned (at most {@code spark.streaming.kafka.maxRatePerPartition}
 * per second of batch interval, less under backpressure). The ranges are chosen and logged by Freshet's Kafka
 * source in the checkpoint's offset log, so a batch that runs again after a crash reads the same records, and a
 * restart goes on from the last batch; the records themselves are read here with the program's own
 * deserializers. The first run starts from the strategy's offsets, else the group's committed offsets, else the
 * consumer's {@code auto.offset.reset} (latest when unset), as in Spark.
 */
public final class DirectKafkaInputDStream<K, V> extends SourceInputDStream<ConsumerRecord<K, V>>
    implements CanCommitOffsets {
  private final transient ConsumerStrategy<K, V> strategy;
  private final transient ConcurrentLinkedQueue<Map.Entry<Map<TopicPartition, OffsetAndMetadata>,
      OffsetCommitCallback>> commits = new ConcurrentLinkedQueue<>();
  private transient RangeReader<K, V> reader;
  private volatile Double estimatedRate;

  public DirectKafkaInputDStream(StreamingContext ssc, ConsumerStrategy<K, V> strategy) {
    super(ssc, "kafka-direct");
    this.strategy = strategy;
    if (bootstrap().isBlank()) {
      throw new IllegalArgumentException("The Kafka parameters of a direct stream need bootstrap.servers");
    }
  }

  private String bootstrap() {
    Object servers = strategy.executorKafkaParams().get(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG);
    return servers == null ? "" : servers.toString();
  }

  @Override
  protected Source createSource(ConnectorContext context) {
    Map<String, String> settings = new HashMap<>();
    strategy.executorKafkaParams().forEach((k, v) -> {
      if (!Set.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
          ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ConsumerConfig.GROUP_ID_CONFIG,
          ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, ConsumerConfig.AUTO_OFFSET_RESET_CONFIG).contains(k)) {
        settings.put(k, String.valueOf(v));
      }
    });
    String assign = "";
    if (!strategy.assigned().isEmpty()) {
      Map<String, List<Integer>> byTopic = new LinkedHashMap<>();
      strategy.assigned().forEach(tp -> byTopic.computeIfAbsent(tp.topic(), t -> new ArrayList<>()).add(tp.partition()));
      assign = io.freshet.streaming.Json.write(byTopic, false);
    }
    java.nio.file.Path directory = context.checkpointDirectory();
    // The start is looked up on the first run only: after it the checkpoint holds it (the source's initial file),
    // so a restart neither asks the group again nor depends on auto.offset.reset.
    String starting = java.nio.file.Files.exists(directory.resolve("initial")) ? "earliest" : startingOffsets();
    return KafkaRanges.create(bootstrap(), settings, strategy.topics(),
        strategy.pattern() == null ? "" : strategy.pattern().pattern(), assign, starting, directory,
        context.allocator(), this::maxRecords);
  }

  /** The first run's start, per partition: the strategy's offset, else the group's, else auto.offset.reset. */
  private String startingOffsets() {
    Map<String, Object> params = new HashMap<>(strategy.executorKafkaParams());
    params.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    params.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    params.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    String reset = String.valueOf(params.getOrDefault(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest"));
    try (KafkaConsumer<byte[], byte[]> probe = new KafkaConsumer<>(params)) {
      List<TopicPartition> partitions = new ArrayList<>(strategy.assigned());
      if (partitions.isEmpty()) {
        probe.listTopics(Duration.ofSeconds(30)).forEach((t, infos) -> {
          if (strategy.pattern() != null ? strategy.pattern().matcher(t).matches() : strategy.topics().contains(t)) {
            infos.forEach(i -> partitions.add(new TopicPartition(t, i.partition())));
          }
        });
      }
      Map<TopicPartition, OffsetAndMetadata> committed = params.containsKey(ConsumerConfig.GROUP_ID_CONFIG)
          ? probe.committed(Set.copyOf(partitions), Duration.ofSeconds(30)) : Map.of();
      Map<TopicPartition, Long> first = probe.beginningOffsets(partitions, Duration.ofSeconds(30));
      Map<String, Map<Integer, Long>> json = new java.util.TreeMap<>();
      for (TopicPartition tp : partitions) {
        Long at = strategy.offsets().get(tp);
        if (at == null && committed.get(tp) != null && committed.get(tp).offset() >= first.get(tp)) {
          at = committed.get(tp).offset(); // a committed offset retention has passed falls to auto.offset.reset
        }
        if (at == null) {
          switch (reset) {
            case "earliest" -> at = -2L;
            case "latest" -> at = -1L;
            default -> throw FreshetException.user("Kafka partition " + tp + " has no offset to start from: the "
                + "strategy gives none, the group has none committed, and auto.offset.reset is '" + reset + "'. Give "
                + "offsets to ConsumerStrategies, or set auto.offset.reset to earliest or latest");
          }
        }
        json.computeIfAbsent(tp.topic(), t -> new java.util.TreeMap<>()).put(tp.partition(), at);
      }
      return io.freshet.streaming.Json.write(json, false);
    }
  }

  /**
   * Spark's per-partition limit for a batch: under backpressure the estimated rate shared by backlog, capped by
   * maxRatePerPartition; else maxRatePerPartition; at least minRatePerPartition (1) per second of batch.
   */
  private long maxRecords(TopicPartition tp, long lag, long totalLag) {
    double seconds = ssc.batchDuration().milliseconds() / 1000.0;
    long maxRate = ssc.conf().getLong("spark.streaming.kafka.maxRatePerPartition", 0);
    long minRate = Math.max(1, ssc.conf().getLong("spark.streaming.kafka.minRatePerPartition", 1));
    Double estimated = estimatedRate;
    double rate;
    if (estimated != null) {
      double share = totalLag == 0 ? 0 : estimated * lag / totalLag;
      rate = maxRate > 0 ? Math.min(share, maxRate) : share;
    } else if (maxRate > 0) {
      rate = maxRate;
    } else {
      return Long.MAX_VALUE;
    }
    return Math.max((long) (rate * seconds), (long) Math.ceil(minRate * seconds));
  }

  @Override
  public void setRate(double recordsPerSecond) {
    estimatedRate = recordsPerSecond;
  }

  @Override
  public void commitAsync(OffsetRange[] offsetRanges) {
    commitAsync(offsetRanges, null);
  }

  @Override
  public void commitAsync(OffsetRange[] offsetRanges, OffsetCommitCallback callback) {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    for (OffsetRange r : offsetRanges) {
      offsets.put(r.topicPartition(), new OffsetAndMetadata(r.untilOffset()));
    }
    commits.add(Map.entry(offsets, callback == null ? (o, e) -> { } : callback));
  }

  /**
   * Commits what the program asked to commit since the last batch. Spark sends them asynchronously; here each is
   * sent and its callback called before the batch reads, so none is lost when no later poll would complete it.
   */
  private void sendCommits() {
    for (var c = commits.poll(); c != null; c = commits.poll()) {
      try {
        reader().kafka().commitSync(c.getKey());
        c.getValue().onComplete(c.getKey(), null);
      } catch (org.apache.kafka.common.KafkaException e) {
        c.getValue().onComplete(c.getKey(), e);
      }
    }
  }

  private RangeReader<K, V> reader() {
    if (reader == null) {
      reader = new RangeReader<>(strategy.executorKafkaParams(),
          ssc.conf().getLong("spark.streaming.kafka.consumer.poll.ms", 120_000), "the direct stream");
    }
    return reader;
  }

  @Override
  protected RDD<ConsumerRecord<K, V>> toRdd(Time time, List<Batch> batches) {
    sendCommits();
    List<OffsetRange> ranges = new ArrayList<>();
    for (Batch b : batches) {
      VarCharVector topic = (VarCharVector) b.vector(0);
      IntVector partition = (IntVector) b.vector(1);
      BigIntVector from = (BigIntVector) b.vector(2);
      BigIntVector until = (BigIntVector) b.vector(3);
      for (int i = 0; i < b.rowCount(); i++) {
        ranges.add(OffsetRange.create(new String(topic.get(i), java.nio.charset.StandardCharsets.UTF_8),
            partition.get(i), from.get(i), until.get(i)));
      }
    }
    List<List<ConsumerRecord<K, V>>> partitions = new ArrayList<>();
    for (OffsetRange r : ranges) {
      partitions.add(reader().read(r, true));
    }
    return new KafkaRDD<>(partitions, ranges.toArray(new OffsetRange[0]));
  }

  @Override
  public void stop() {
    if (!commits.isEmpty()) {
      sendCommits(); // the last batch's commit, asked for after it read
    }
    if (reader != null) {
      reader.close();
      reader = null;
    }
  }
}
